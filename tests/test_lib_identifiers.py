from tila.lib.identifiers import full_names, identity_codes


def test_a_valid_identity_code_is_found():
    assert identity_codes("Asiakas 131052-308T kertoi") == ["131052-308T"]
    assert identity_codes("uusi muoto 010594Y9032 myös") == ["010594Y9032"]


def test_an_invalid_identity_code_is_not_reported():
    assert identity_codes("Laskun numero 131052-308X") == []
    assert identity_codes("puhelin 040-1234567") == []


def test_full_names_inside_a_sentence_are_found():
    text = "Asiakas, jota kutsun nimellä Pekka, puhui siskostaan Maija Meikäläinen kanssa."
    assert full_names(text) == ["Maija Meikäläinen"]


def test_a_capitalised_word_at_the_start_of_a_line_is_not_a_first_name():
    assert full_names("Avauskierros\nTiimi Kertoi paljon") == []
    assert full_names("Sovimme. Seuraavaksi jatketaan") == []


def test_pseudonyms_in_lower_case_or_single_names_pass():
    assert full_names("asiakas A kertoi, että Pekka oli väsynyt") == []
