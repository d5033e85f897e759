"""The communities of synthetic households: first names, surnames, languages and ethnic groups.

Invented combinations only; never real people."""

from __future__ import annotations

from ehtool.synthetic.data.ethnicities import (
    E_AFRICAN,
    E_ANY_OTHER,
    E_ARAB,
    E_BANGLADESHI,
    E_CARIBBEAN,
    E_CHINESE,
    E_INDIAN,
    E_IRISH,
    E_OTHER_ASIAN,
    E_OTHER_BLACK,
    E_OTHER_MIXED,
    E_OTHER_WHITE,
    E_PAKISTANI,
    E_ROMA,
    E_TRAVELLER,
    E_WHITE_BRITISH,
)
from ehtool.synthetic.draws import _cum

# (weight, broad group, female names, male names, surnames, [(language, w)], [(ethnicity, w)])
# Broad group: W white, B black, A asian, O other - used to label children of mixed couples.
CommunitySpec = tuple[int, str, str, str, str, list[tuple[str, int]], list[tuple[str, int]]]

_COMMUNITIES: dict[str, CommunitySpec] = {
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


class _Community:
    """A community's spec, ready to draw from: name lists split, languages and ethnic groups weighted."""

    __slots__ = ("ethnicities", "female", "group", "key", "languages", "male", "surnames")

    def __init__(self, key: str, spec: CommunitySpec) -> None:
        _, self.group, female, male, surnames, languages, ethnicities = spec
        self.key = key
        self.female = female.split()
        self.male = male.split()
        self.surnames = surnames.split()
        self.languages = _cum(languages)
        self.ethnicities = _cum(ethnicities)


# the communities and their cumulative weights, for _pick
_COMMUNITY_LIST, _COMMUNITY_CUM = _cum([(_Community(k, spec), spec[0]) for k, spec in _COMMUNITIES.items()])
