"""The outcome framework is data: the bundled one validates, broken ones say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehtool.documents.frameworks import available_frameworks, load_framework
from ehtool.errors import InvalidInput, NotFound
from ehtool.paths import bundled_frameworks

EXPECTED = {
    "education": "Getting a good education",
    "early-years": "Good early years development",
    "health": "Improved mental and physical health",
    "substance-use": "Better managed substance use",
    "family-relationships": "Improved family relationships",
    "safe-from-abuse": "Children safe from abuse and exploitation",
    "crime": "Families diverted from crime",
    "domestic-abuse": "Safe from domestic abuse",
    "housing": "Secure housing",
    "financial-stability": "Financial stability",
}


def write(tmp_path: Path, text: str, name: str = "ours.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_supporting_families_has_the_ten_headline_outcomes():
    fw = load_framework()
    assert fw.id == "supporting_families"
    assert fw.name and fw.version
    assert {a["id"]: a["name"] for a in fw.areas} == EXPECTED
    assert fw.ids == list(EXPECTED)  # in the framework's order
    assert all(a["description"] for a in fw.areas)


@pytest.mark.parametrize("name", available_frameworks())
def test_every_bundled_framework_validates(name):
    assert load_framework(name).areas


def test_load_by_path_and_by_bundled_id_agree():
    by_id = load_framework("supporting_families")
    by_path = load_framework(bundled_frameworks() / "supporting_families.toml")
    by_str = load_framework(str(bundled_frameworks() / "supporting_families.toml"))
    assert by_id.to_dict() == by_path.to_dict() == by_str.to_dict()
    assert load_framework("supporting-families").to_dict() == by_id.to_dict()


def test_area_lookup():
    fw = load_framework()
    assert fw.area("housing") == {
        "id": "housing",
        "name": "Secure housing",
        "description": fw.area("housing")["description"],
    }
    assert fw.area("early_years")["id"] == "early-years"  # forgiving
    assert fw.area("Secure housing")["id"] == "housing"
    assert "crime" in fw and "weather" not in fw
    assert fw.area_name("crime") == "Families diverted from crime"
    # the names and ids gov.uk used before still find the area
    assert fw.area("Crime prevention and tackling crime")["id"] == "crime"
    assert fw.area("better_managed_substance_use")["id"] == "substance-use"
    assert fw.area_name("old-area") == "old-area"
    with pytest.raises(NotFound) as err:
        fw.area("weather")
    assert "education" in err.value.hint


def test_to_dict_is_plain_data():
    import json

    data = load_framework().to_dict()
    assert set(data) == {"id", "name", "version", "source", "areas"}
    assert json.loads(json.dumps(data)) == data
    data["areas"][0]["name"] = "changed"
    assert load_framework().areas[0]["name"] != "changed"


def test_a_partnership_framework_by_path(tmp_path):
    path = write(
        tmp_path,
        'name = "Testshire outcomes"\nversion = 2\n[[areas]]\nid = "school"\nname = "Going to school"\ncode = "T1"\n',
    )
    fw = load_framework(path)
    assert fw.id == "ours" and fw.version == "2"
    assert fw.areas == [{"id": "school", "name": "Going to school", "description": "", "code": "T1"}]


def test_problems_name_their_place(tmp_path):
    path = write(
        tmp_path,
        'version = "1"\n'
        '[[areas]]\nid = "housing"\nname = "Secure housing"\n'
        '[[areas]]\nid = "housing"\nname = "Housing again"\n'
        '[[areas]]\nid = "money"\n'
        '[[areas]]\nid = "Bad Id"\nname = "Something"\n'
        '[[areas]]\nname = "No id"\n',
    )
    with pytest.raises(InvalidInput) as err:
        load_framework(path)
    problems = err.value.problems
    assert str(path) in err.value.message
    assert "name is missing" in problems
    assert "areas[2] (id 'housing'): id 'housing' is already used by areas[1]" in problems
    assert "areas[3] (id 'money'): name is missing" in problems
    assert any(p.startswith("areas[4] (id 'Bad Id'): id must be lowercase") for p in problems)
    assert "areas[5]: id is missing" in problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name = "x"\nversion = "1"\n', "areas is missing"),
        ('name = "x"\nversion = "1"\nareas = []\n', "areas is empty"),
        ('name = "x"\nversion = "1"\nareas = "education"\n', "areas must be a list"),
        ('name = ""\nversion = "1"\n[[areas]]\nid = "a"\nname = "A"\n', "name is empty"),
        (
            'name = "x"\nversion = "1"\n[[areas]]\nid = "a"\nname = "A"\n[[areas]]\nid = "b"\nname = "a"\n',
            "area name 'a' is used more than once",
        ),
    ],
)
def test_structural_problems(tmp_path, text, problem):
    with pytest.raises(InvalidInput) as err:
        load_framework(write(tmp_path, text))
    assert any(problem in p for p in err.value.problems), err.value.problems


def test_toml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, 'name = "x"\nversion = \n')
    with pytest.raises(InvalidInput) as err:
        load_framework(path)
    assert str(path) in err.value.message
    assert "line 2" in err.value.problems[0]


def test_missing_framework(tmp_path):
    with pytest.raises(NotFound) as err:
        load_framework("no_such_framework")
    assert "supporting_families" in err.value.hint
    with pytest.raises(NotFound):
        load_framework(tmp_path / "absent.toml")
