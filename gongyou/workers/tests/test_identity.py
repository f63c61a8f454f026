import datetime as dt

import pytest

from gongyou.workers.identity import (
    IdentityError,
    check_character,
    mask_national_id,
    mask_phone,
    normalise_national_id,
    normalise_phone,
    parse_mobile,
    parse_national_id,
    upgrade_15_to_18,
)

PROVINCES = {"11", "12", "13", "31", "44", "51", "53"}


@pytest.mark.parametrize("number", ["11010519491231002X", "53010219200508011X"])
def test_standard_test_vectors_are_valid(number):
    assert parse_national_id(number, provinces=PROVINCES).number == number


def test_check_character_of_the_standard_examples():
    assert check_character("11010519491231002") == "X"
    assert check_character("53010219200508011") == "X"
    assert check_character("44052418800101001") == "4"


def test_a_correct_check_digit_does_not_excuse_an_implausible_birth_date():
    # 440524188001010014 is a textbook vector (check digit right) but born in 1880.
    with pytest.raises(IdentityError) as info:
        parse_national_id("440524188001010014", provinces=PROVINCES)
    assert info.value.code == "birth_date_too_early"


@pytest.mark.parametrize(
    "raw",
    [
        " 110105 19491231 002x ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "'11010519491231002X",
        "110105\u300019491231002X",
        "110105-19491231-002X",
    ],
)
def test_normalises_spaces_fullwidth_lowercase_and_apostrophes(raw):
    assert normalise_national_id(raw) == "11010519491231002X"
    assert parse_national_id(raw, provinces=PROVINCES).number == "11010519491231002X"


def test_derives_sex_and_birth_date():
    parsed = parse_national_id("11010519491231002X", provinces=PROVINCES)
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"  # 17th digit 2 is even
    assert (
        parse_national_id("53010219200508011X", provinces=PROVINCES).sex == "M"
    )  # 17th digit 1 is odd


def test_upgrades_15_digit_numbers():
    assert upgrade_15_to_18("110105491231002") == "11010519491231002X"
    parsed = parse_national_id("110105491231002", provinces=PROVINCES)
    assert parsed.number == "11010519491231002X" and parsed.upgraded_from_15
    # Sequences 996–999 were given to centenarians: the century is 18.
    assert upgrade_15_to_18("440524800101996")[6:8] == "18"


def test_unknown_county_code_is_accepted_when_the_province_is_valid():
    body = "11019919800101001"  # 110199 is not a current county code
    assert (
        parse_national_id(body + check_character(body), provinces=PROVINCES).region_code == "110199"
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("1101051949123100", "invalid_length"),
        ("11010519491231002XX", "invalid_length"),
        ("1101051949123100AX", "invalid_characters"),
        ("99010519491231002X", "invalid_region"),
        ("110105194912320021", "invalid_birth_date"),
        ("110105189912310023", "birth_date_too_early"),
        ("110105209912310025", "birth_date_in_future"),
        ("110105194912310021", "invalid_check_digit"),
        ("530102192005080119", "invalid_check_digit"),
    ],
)
def test_each_problem_has_its_own_code(raw, code):
    with pytest.raises(IdentityError) as info:
        parse_national_id(raw, provinces=PROVINCES, today=dt.date(2026, 11, 29))
    assert info.value.code == code
    assert info.value.message


def test_masks():
    assert mask_national_id("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "１３８１２３４５６７８",
        "138 1234 5678",
    ],
)
def test_mobile_normalisation(raw):
    assert normalise_phone(raw) == "13812345678"
    assert parse_mobile(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("1381234567", "invalid_phone"),
        ("23812345678", "invalid_phone"),
        ("1381234567a", "invalid_characters"),
        ("01088886666", "invalid_phone"),
        ("12012345678", "invalid_phone"),
    ],
)
def test_mobile_errors(raw, code):
    with pytest.raises(IdentityError) as info:
        parse_mobile(raw)
    assert info.value.code == code
