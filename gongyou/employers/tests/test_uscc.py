import pytest

from gongyou.employers.uscc import (
    WEIGHTS,
    CreditCodeError,
    credit_code_check_character,
    normalise_credit_code,
    parse_credit_code,
)

# Real codes (public registration data, quoted with the company name in several public
# repositories' validator tests and fixtures); others are built with the check function.
REAL = [
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
]


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert parse_credit_code(code) == code
    assert credit_code_check_character(code[:17]) == code[17]


def test_check_character_zero_maps_to_digit_zero():
    # (31 - sum % 31) % 31 == 0 when the sum is a multiple of 31: the check is "0", not "Y".
    body = next(
        f"9144030000000{n:04d}"
        for n in range(10000)
        if credit_code_check_character(f"9144030000000{n:04d}") == "0"
    )
    assert parse_credit_code(body + "0").endswith("0")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("９１４４０３００１９２２０３８２１６", "914403001922038216"),  # full-width
        ("91110108551385082q", "91110108551385082Q"),  # lower case
        (" 9144 0300 1922 0382 16 ", "914403001922038216"),  # spaces, also inner
        ("9144-0300-1922-0382-16", "914403001922038216"),
        ("'914403001922038216", "914403001922038216"),  # Excel apostrophe
    ],
)
def test_spellings_normalise(raw, expected):
    assert normalise_credit_code(raw) == expected
    assert parse_credit_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("9144030019220382", "invalid_length"),
        ("9144030019220382161", "invalid_length"),
        ("91440300192203821I", "invalid_characters"),  # I, O, S, V, Z are never used
        ("O14403001922038216", "invalid_characters"),
        ("9S4403001922038216", "invalid_characters"),
        ("91A403001922038216", "invalid_region_part"),
        ("914403001922038217", "invalid_check_character"),
        ("914403001922038261", "invalid_check_character"),  # transposed digits
    ],
)
def test_bad_codes_name_the_problem(raw, code):
    with pytest.raises(CreditCodeError) as exc:
        parse_credit_code(raw)
    assert exc.value.code == code and exc.value.message


def test_every_single_character_typo_is_caught():
    code = REAL[0]
    for i in range(18):
        for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if c != code[i] and not (2 <= i < 8 and not c.isdigit()):
                typo = code[:i] + c + code[i + 1 :]
                with pytest.raises(CreditCodeError):
                    parse_credit_code(typo)
