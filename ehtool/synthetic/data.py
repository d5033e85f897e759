"""Synthetic families' raw material: communities (names, languages, ethnic groups), places, referral reasons.

Invented combinations only; never real people."""

from __future__ import annotations

from itertools import accumulate


def _cum(pairs):
    items = [p[0] for p in pairs]
    cum = list(accumulate(p[1] for p in pairs))
    return items, cum


# -- ONS 2021 census ethnic groups (19 categories) ----------------------------------

_A = "Asian, Asian British or Asian Welsh: "
_B = "Black, Black British, Black Welsh, Caribbean or African: "
_M = "Mixed or Multiple ethnic groups: "
_W = "White: "
_O = "Other ethnic group: "
ETHNICITIES = (
    _A + "Bangladeshi",
    _A + "Chinese",
    _A + "Indian",
    _A + "Pakistani",
    _A + "Other Asian",
    _B + "African",
    _B + "Caribbean",
    _B + "Other Black",
    _M + "White and Asian",
    _M + "White and Black African",
    _M + "White and Black Caribbean",
    _M + "Other Mixed or Multiple ethnic groups",
    _W + "English, Welsh, Scottish, Northern Irish or British",
    _W + "Irish",
    _W + "Gypsy or Irish Traveller",
    _W + "Roma",
    _W + "Other White",
    _O + "Arab",
    _O + "Any other ethnic group",
)
(
    E_BANGLADESHI,
    E_CHINESE,
    E_INDIAN,
    E_PAKISTANI,
    E_OTHER_ASIAN,
    E_AFRICAN,
    E_CARIBBEAN,
    E_OTHER_BLACK,
    E_WHITE_ASIAN,
    E_WHITE_BLACK_AFRICAN,
    E_WHITE_BLACK_CARIBBEAN,
    E_OTHER_MIXED,
    E_WHITE_BRITISH,
    E_IRISH,
    E_TRAVELLER,
    E_ROMA,
    E_OTHER_WHITE,
    E_ARAB,
    E_ANY_OTHER,
) = ETHNICITIES

# -- communities: names, languages, ethnic groups ------------------------------------
# (weight, broad group, female names, male names, surnames, [(language, w)], [(ethnicity, w)])
# Broad group: W white, B black, A asian, O other - used to label children of mixed couples.

_COMMUNITIES = {
    "british": (
        30,
        "W",
        "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Poppy Evie Ella Emily Charlotte "
        "Ruby Daisy Phoebe Jessica Lucy Chloe Hannah Megan Sarah Emma Laura Rebecca Gemma Kelly Natalie Leanne "
        "Stacey Donna Claire Nicola Joanne Michelle Tracey Karen Susan Jean Margaret Patricia Lorraine",
        "Oliver George Harry Noah Jack Leo Arthur Oscar Charlie Freddie Alfie Theo Archie Thomas James William "
        "Joshua Jacob Samuel Daniel Ryan Liam Connor Callum Jamie Kieran Lewis Ben Luke Dean Craig Lee Wayne "
        "Darren Gary Paul Mark Stephen Kevin Ian Keith Brian Graham Terry",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
        "Roberts Green Hall Wood Jackson Clarke Turner Hill Harris Cooper Ward Morris King Baker Parker Cook "
        "Bennett Harding Fletcher Marsh Holloway Pearce Chapman Barker Lawrence Griffiths Mason Hughes Shaw",
        [("English", 1)],
        [(E_WHITE_BRITISH, 96), (E_TRAVELLER, 2), (E_OTHER_WHITE, 2)],
    ),
    "irish": (
        3,
        "W",
        "Aoife Siobhan Niamh Ciara Roisin Sinead Orla Grainne Mairead Caoimhe Saoirse Deirdre Bridget Maeve Eileen",
        "Sean Padraig Cian Oisin Ciaran Declan Eoin Conor Darragh Fionn Liam Colm Niall Ronan Dermot",
        "Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor McCarthy Doyle Gallagher Doherty Kennedy "
        "Lynch Quinn Brennan Maguire Donnelly Ward McDonagh",
        [("English", 1)],
        [(E_IRISH, 85), (E_TRAVELLER, 15)],
    ),
    "polish": (
        5,
        "W",
        "Zofia Zuzanna Julia Maja Hanna Lena Alicja Maria Oliwia Natalia Agnieszka Katarzyna Magdalena "
        "Małgorzata Joanna Aleksandra Ewa Beata Dorota Marta",
        "Jakub Antoni Jan Szymon Franciszek Filip Aleksander Mikołaj Wojciech Kacper Piotr Tomasz Paweł "
        "Krzysztof Marcin Łukasz Michał Grzegorz Andrzej Dawid",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
        "Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Pawlak Michalski",
        [("Polish", 60), ("English", 40)],
        [(E_OTHER_WHITE, 1)],
    ),
    "romanian": (
        4,
        "W",
        "Andreea Ioana Elena Maria Alexandra Bianca Daria Ana Gabriela Cristina Roxana Mihaela Larisa Denisa "
        "Florentina Simona",
        "Andrei Alexandru Ionut Mihai Stefan Gabriel Florin Marius Cosmin Adrian Bogdan Vlad Razvan Darius "
        "Sorin Constantin",
        "Popescu Ionescu Popa Stan Dumitru Stoica Gheorghe Matei Ciobanu Rusu Munteanu Lungu Constantin "
        "Marin Tudor Florea Dobre Barbu",
        [("Romanian", 70), ("English", 20), ("Romani", 10)],
        [(E_OTHER_WHITE, 80), (E_ROMA, 20)],
    ),
    "portuguese": (
        3,
        "W",
        "Beatriz Mariana Leonor Matilde Carolina Inês Joana Rita Sofia Vitória Larissa Camila Juliana "
        "Fernanda Luana Raquel",
        "João Rodrigo Tiago Diogo Gonçalo Martim Pedro Miguel Rafael Lucas Gabriel Matheus Thiago Bruno "
        "Felipe Vinícius",
        "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gonçalves Gomes "
        "Lopes Marques Almeida Ribeiro Carvalho Teixeira",
        [("Portuguese", 65), ("English", 35)],
        [(E_OTHER_WHITE, 70), (E_OTHER_MIXED, 15), (E_ANY_OTHER, 15)],
    ),
    "nigerian": (
        7,
        "B",
        "Adaeze Chiamaka Ngozi Chidinma Ifeoma Nkechi Amaka Obioma Folake Funmilayo Adeola Titilayo Yetunde "
        "Temitope Oluwaseun Ayomide Damilola Blessing Precious Favour Esther Deborah",
        "Chukwuemeka Obinna Ikenna Chinedu Nnamdi Emeka Uchenna Tobenna Oluwadamilare Adebayo Babatunde "
        "Olumide Ayodele Tunde Femi Segun Kehinde Taiwo David Samuel Daniel Joshua",
        "Okafor Okonkwo Eze Nwosu Obi Okeke Chukwu Nwachukwu Onyeka Adeyemi Adebayo Ogunleye Oyelaran "
        "Balogun Akinyemi Olawale Adeleke Bankole Oladipo Afolabi",
        [("English", 75), ("Yoruba", 15), ("Igbo", 10)],
        [(E_AFRICAN, 1)],
    ),
    "ghanaian": (
        4,
        "B",
        "Akosua Ama Abena Adwoa Afua Yaa Efua Esi Akua Adjoa Nana Serwaa Gifty Comfort Mercy Josephine",
        "Kwame Kofi Kwabena Kwaku Yaw Kojo Kwasi Kweku Kobina Nana Ekow Fiifi Emmanuel Prince Richard Isaac",
        "Mensah Asante Owusu Boateng Osei Agyeman Appiah Darko Ofori Amoah Adjei Antwi Frimpong Opoku "
        "Acheampong Sarpong Gyasi Danso",
        [("English", 60), ("Twi", 35), ("Ga", 5)],
        [(E_AFRICAN, 1)],
    ),
    "somali": (
        4,
        "B",
        "Amina Hodan Fadumo Sahra Hibo Ayan Ifrah Nasra Hamdi Samira Khadra Ubah Ladan Sagal Ruqia Maryan",
        "Abdi Mohamed Ahmed Abdirahman Abdullahi Hassan Ismail Omar Yusuf Mahad Liban Guled Khalid Said Farah Hamza",
        "Hassan Mohamed Ali Farah Abdi Ahmed Warsame Jama Osman Aden Hussein Egal Nur Dahir Ismail Yusuf "
        "Abdullahi Mohamud",
        [("Somali", 65), ("English", 35)],
        [(E_AFRICAN, 1)],
    ),
    "caribbean": (
        7,
        "B",
        "Shanice Tanisha Keisha Aaliyah Jada Kiara Shantelle Monique Simone Natasha Marcia Beverley Paulette "
        "Yvonne Sonia Janelle Jasmine Tiana Destiny Imani",
        "Marcus Tyrone Jermaine Andre Dwayne Leon Kareem Devon Delroy Winston Clive Everton Trevor Jerome "
        "Kyle Jaden Malachi Isaiah Elijah Josiah",
        "Campbell Brown Williams Thomas Francis Richards Grant Reid Henry Clarke Morgan Edwards Bailey "
        "Mitchell Stewart Gordon Lewis Bennett Samuels Powell Wallace Facey",
        [("English", 1)],
        [(E_CARIBBEAN, 85), (E_OTHER_BLACK, 15)],
    ),
    "tamil": (
        4,
        "A",
        "Kavitha Thenmozhi Priya Nirmala Sharmila Vasuki Abirami Anusha Keerthana Tharshika Vithusha "
        "Luxmi Sangeetha Janani Mathumitha Kajani",
        "Suresh Rajan Kumaran Sivakumar Tharshan Niroshan Ganeshan Prasanth Kajan Thuvaragan Vithushan "
        "Mathusan Kirushanth Sanjeev Arun Mayooran",
        "Sivapalan Rajaratnam Kandiah Thangarajah Selvarajah Balasubramaniam Sivanesan Navaratnam "
        "Yogarajah Kanagaratnam Ponnampalam Arumugam Murugesu Vigneswaran Jeyakumar Sritharan",
        [("Tamil", 60), ("English", 40)],
        [(E_OTHER_ASIAN, 90), (E_INDIAN, 10)],
    ),
    "indian": (
        5,
        "A",
        "Priya Anjali Pooja Neha Kavya Aanya Diya Ishita Riya Shreya Meera Sunita Harpreet Manpreet Jaspreet "
        "Simran Nisha Rekha Hema Parminder",
        "Arjun Rohan Aarav Vihaan Ishaan Krish Dev Raj Sanjay Vikram Amit Rahul Gurpreet Harjit Jaswinder "
        "Kuldeep Manjit Navdeep Sunil Anil",
        "Patel Shah Sharma Singh Kaur Gill Sandhu Sidhu Dhillon Mehta Desai Joshi Kumar Gupta Chauhan Mistry "
        "Parmar Solanki Bhatt Virdee",
        [("English", 55), ("Gujarati", 20), ("Punjabi", 20), ("Hindi", 5)],
        [(E_INDIAN, 1)],
    ),
    "pakistani": (
        5,
        "A",
        "Ayesha Fatima Zainab Maryam Hira Sana Mahnoor Iqra Anam Rabia Nadia Samina Shazia Bushra Rukhsana "
        "Aleena Eman Hafsa",
        "Muhammad Ali Hamza Usman Bilal Zain Imran Faisal Tariq Asif Kamran Adnan Shahid Waqas Haroon Rizwan "
        "Ibrahim Yusuf",
        "Khan Ahmed Hussain Iqbal Akhtar Butt Malik Raja Mahmood Chaudhry Qureshi Siddiqui Rashid Mirza "
        "Sheikh Aslam Javed Nawaz",
        [("English", 50), ("Urdu", 40), ("Punjabi", 10)],
        [(E_PAKISTANI, 1)],
    ),
    "bangladeshi": (
        4,
        "A",
        "Nusrat Tahmina Shirin Rahima Jahanara Fahima Sumaiya Tasnim Nabila Farhana Shamima Ruksana Halima "
        "Sadia Mim Anika",
        "Abdul Mohammed Rahim Karim Jamal Shahid Sohel Rubel Mizanur Habibur Ashraf Nazrul Ayaan Rayyan Tanvir Foysal",
        "Begum Rahman Uddin Miah Ali Islam Hoque Khatun Chowdhury Ahmed Hossain Alam Bibi Sarkar Talukder Mahmud",
        [("Bengali", 50), ("Sylheti", 15), ("English", 35)],
        [(E_BANGLADESHI, 1)],
    ),
    "arab": (
        3,
        "O",
        "Layla Noor Yasmin Rania Huda Lina Dalia Salma Mariam Reem Hala Jana Rahaf Malak Sara Aya",
        "Ahmad Omar Khaled Youssef Karim Tarek Samir Hussein Mustafa Ali Rami Adam Zaid Fares Majid Nabil",
        "Al-Sayed Haddad Khalil Nasser Mansour Hamdan Saleh Darwish Al-Amin Jaber Aziz Suleiman Haidar "
        "Farouk Abboud Kassem",
        [("Arabic", 70), ("English", 30)],
        [(E_ARAB, 90), (E_ANY_OTHER, 10)],
    ),
    "chinese": (
        2,
        "A",
        "Mei Ling Xiu Ying Wen Hui Lan Jing Yan Qing Li Na Xin Yi Hui Min",
        "Wei Jun Hao Ming Jie Lei Bo Chen Tao Yong Long Kai Feng Hong",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Chan Wong Cheung Lau",
        [("English", 45), ("Mandarin", 30), ("Cantonese", 25)],
        [(E_CHINESE, 1)],
    ),
    "turkish": (
        2,
        "W",
        "Elif Zeynep Ayşe Fatma Emine Merve Büşra Esra Derya Selin Rojin Berfin",
        "Mehmet Mustafa Ahmet Emre Burak Murat Kemal Serkan Baran Deniz Yusuf Can",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan Kılıç Aslan",
        [("Turkish", 60), ("Kurdish", 20), ("English", 20)],
        [(E_OTHER_WHITE, 70), (E_ANY_OTHER, 30)],
    ),
    "afghan": (
        2,
        "A",
        "Mariam Zahra Parwana Shabnam Fereshta Nazanin Hasina Laila Farzana Mursal",
        "Ahmad Mohammad Farhad Jawad Naveed Habib Rahmatullah Sayed Nasir Mirwais",
        "Ahmadi Rahimi Hakimi Karimi Noori Sultani Safi Popal Wardak Stanikzai",
        [("Dari", 50), ("Pashto", 30), ("English", 20)],
        [(E_OTHER_ASIAN, 1)],
    ),
    "eritrean": (
        2,
        "B",
        "Helen Senait Selam Luwam Yordanos Feven Ruta Saba Hiwet Meron",
        "Yonas Dawit Samuel Filmon Tesfay Bereket Henok Yohannes Robel Mussie",
        "Tesfamariam Ghebremedhin Haile Kidane Tekle Berhane Woldemichael Gebru Asfaha Habte",
        [("Tigrinya", 65), ("English", 35)],
        [(E_AFRICAN, 1)],
    ),
}


# -- places: postcode districts, local authorities, schools --------------------------
# district -> (town for the address, DfE LA number for UPNs)
DISTRICTS = {
    "CR0": ("Croydon", "306"),
    "CR2": ("South Croydon", "306"),
    "CR7": ("Thornton Heath", "306"),
    "SM1": ("Sutton", "319"),
    "SM5": ("Carshalton", "319"),
    "SE5": ("London", "210"),
    "SE15": ("London", "210"),
    "SW19": ("London", "315"),
}
# For the default three localities (Croydon's north, central and south).
_DEFAULT_DISTRICT_POOLS = {"north": ("CR7", "SE5", "SE15", "SW19"), "central": ("CR0", "SM1"), "south": ("CR2", "SM5")}
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters an inward code may use

_STREETS = (
    "Maple Road, Elm Grove, Oak Avenue, Beech Close, Ash Gardens, Willow Way, Chestnut Drive, "
    "Hawthorn Crescent, Rowan Road, Sycamore Street, Laburnum Avenue, Holly Lane, Poplar Walk, Alder Close, "
    "Juniper Road, Linden Gardens, Cedar Road, Hazel Grove, Larch Way, Walnut Street, Mulberry Close, "
    "Cherry Tree Walk, Lime Street, Aspen Drive, Blackthorn Road, Hornbeam Close, Magnolia Court, "
    "Wisteria Road, Bramble Lane, Heather Road, Meadow Way, Orchard Street, Brook Road, Mill Lane, "
    "Station Road, Church Street, Park Road, Victoria Road, Albert Road, Queens Road, Kings Avenue, "
    "Windsor Road, Grange Road, Manor Way, Priory Close, Chapel Street, Market Street, Spring Lane, "
    "Well Road, Fountain Drive, Lark Rise, Wren Close, Swallow Street, Kestrel Way, Robin Road, Finch Close, "
    "Heron Drive, Kingfisher Court, Plover Way, Tower Court, Crown Parade, Beaumont House, Mandela Court"
).split(", ")

_PLACE_WORDS = (
    "Ashgrove Brookmead Elmfield Hazelwood Oakhurst Fernbank Larkhill Meadowbrook Redcliffe "
    "Thornbury Westmead Woodside Kingsmead Highfield Greenlane Millbrook Southfield Norbrook "
    "Elmstead Beechcroft Rowanfield Holmwood Lindenhill Cedarway"
).split()
_SAINTS = ("Mary's", "Joseph's", "Anne's", "Michael's", "Luke's", "Peter's", "Thomas's", "Catherine's")


_NURSERY_KINDS = ("Nursery", "Children's Centre Nursery", "Pre-school", "Day Nursery")


def _schools():
    """Invented schools per LA: (name, establishment number, phase)."""
    out = {}
    for i, la in enumerate(sorted({la for _, la in DISTRICTS.values()})):
        primaries, secondaries, nurseries = [], [], []
        for j in range(10):
            place = _PLACE_WORDS[(i * 7 + j) % len(_PLACE_WORDS)]
            if j % 4 == 3:
                name = f"St {_SAINTS[(i + j) % len(_SAINTS)]} Catholic Primary School"
            else:
                name = f"{place} {'Primary School' if j % 2 else 'Primary Academy'}"
            primaries.append((name, f"{2000 + 37 * j + 3 * i:04d}"))
        for j in range(4):
            place = _PLACE_WORDS[(i * 5 + j + 11) % len(_PLACE_WORDS)]
            name = f"{place} {('Academy', 'High School', 'School', 'College')[j]}"
            secondaries.append((name, f"{4000 + 53 * j + 5 * i:04d}"))
        for j in range(4):
            place = _PLACE_WORDS[(i * 3 + j + 17) % len(_PLACE_WORDS)]
            nurseries.append(f"{place} {_NURSERY_KINDS[j]}")
        out[la] = (primaries, secondaries, nurseries)
    return out


_SCHOOLS = _schools()

# -- referrals, leads, notes ---------------------------------------------------------

_REFERRAL_SOURCES = _cum(
    [
        ("School", 26),
        ("Health visitor", 12),
        ("GP", 7),
        ("Police", 8),
        ("Self-referral", 9),
        ("Housing", 5),
        ("CAMHS", 4),
        ("Midwife", 5),
        ("Children's social care (step-down)", 10),
        ("Nursery", 3),
        ("Voluntary sector", 5),
        ("Family hub", 4),
        ("A&E / hospital", 2),
    ]
)
# (text, the sources that usually send it, what the household needs for it to make sense)
# Needs: "child" any child; "school" a child of 5+; "teen" 12+; "baby" under 2; "toddler" 2-4;
# "couple" two parents; "mum" a mother; "interpreter"; "new" school-age child, not English-speaking;
# "first" no children yet; "" nothing.
Reason = tuple[str, tuple[str, ...], str]
_REASONS: tuple[Reason, ...] = (
    (
        "Attendance has fallen to 86% this term and the parent is struggling with morning routines.",
        ("School",),
        "school",
    ),
    (
        "Parents asking for help with a child's behaviour at home; frequent arguments.",
        ("Self-referral", "School"),
        "child",
    ),
    ("Family in temporary accommodation, children sharing one room; rent arrears.", ("Housing",), "child"),
    ("Parental conflict witnessed by the children; both parents agree to support.", ("Police", "School"), "couple"),
    (
        "Parent reports low mood since the birth of the youngest; isolated, new to the area.",
        ("Health visitor", "GP"),
        "baby",
    ),
    ("Child anxious about school and refusing to go some days.", ("School", "CAMHS", "GP"), "school"),
    ("Police attended a verbal argument at the address; no injuries, no further action.", ("Police",), ""),
    ("Debt and food poverty; family using the food bank every week.", ("Voluntary sector", "Family hub"), ""),
    ("Speech and language delay and missed two-year review.", ("Health visitor", "Nursery"), "toddler"),
    ("Stepped down from social care after a Child in Need plan closed.", ("Children's social care (step-down)",), ""),
    ("Fixed-term suspension for fighting; parents want support with boundaries.", ("School",), "school"),
    ("Overcrowding and damp; housing application pending.", ("Housing", "Health visitor"), ""),
    ("Concerns about a teenager staying out late and new older friends.", ("Police", "School"), "teen"),
    ("Family new to the UK, no school place yet for one child.", ("Family hub", "Voluntary sector"), "new"),
    ("Low-level self-harm disclosed to a teacher; CAMHS waiting list.", ("CAMHS", "School"), "teen"),
    ("Seen at A&E twice with a minor injury; parent asked for support with supervision.", ("A&E / hospital",), "child"),
)
_REASONS_LONE_FATHER: tuple[Reason, ...] = (
    ("Dad is a single parent after a separation and asked for parenting support.", ("Self-referral", "School"), ""),
)
_REASONS_UNBORN: tuple[Reason, ...] = (
    ("Expectant mum, first pregnancy, little family support and unsure about housing.", ("Midwife",), "first"),
    ("Midwife concerned about low mood in pregnancy and money worries.", ("Midwife",), ""),
    ("Pregnant, living in one room in shared housing with a toddler.", ("Midwife", "Housing"), "toddler"),
)
_REASONS_YOUNG_CARER: tuple[Reason, ...] = (
    ("Child is caring for a parent with multiple sclerosis and is often late to school.", ("School",), ""),
    ("Young carer for a parent with mental health needs; tired in lessons.", ("School", "GP"), ""),
)
_NOTES = (
    ("Prefers contact by text message.", ""),
    ("Mum works nights: visits after 2pm please.", "mum"),
    ("Interpreter needed for all meetings.", "interpreter"),
    ("Dog in the house; ask for it to be put in the garden.", ""),
    ("Family asked for a female worker.", ""),
    ("Use the side door; the bell does not work.", ""),
    ("Consent to share information given at the first visit.", ""),
    ("School says attendance < 90% & falling.", "school"),
    ("Family hub stay-and-play on Tuesdays suits the family.", "toddler"),
    ("Met at the family hub.\nFollow-up visit booked with both parents.", "couple"),
    ("Grandmother helps with the school run.", "school"),
    ("Thank-you card from the family 🙂", ""),
)


def _household_facts(members, interpreter, language) -> set:
    facts = {""}
    mothers = parents = 0
    for m in members:
        role = m["role"]
        if role == "parent":
            parents += 1
            mothers += m["gender"] == "Female"
        elif role == "child":
            age = m["_age"]
            facts.add("child")
            if age >= 5:
                facts.add("school")
            if age >= 12:
                facts.add("teen")
            if age < 2:
                facts.add("baby")
            if 2 <= age <= 4:
                facts.add("toddler")
    if parents >= 2:
        facts.add("couple")
    if mothers:
        facts.add("mum")
    if interpreter:
        facts.add("interpreter")
    if "child" not in facts:
        facts.add("first")
    if language != "English" and "school" in facts:
        facts.add("new")
    return facts
