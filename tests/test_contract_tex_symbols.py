"""The LaTeX of Greek letters the new features print: Pascanu's Ω (SPEC 1.17) and a Γ written
against a letter in a title (CS230's "Γo * c") must come out as LaTeX that compiles."""

from rnnquiz.render.tex import tex_math, tex_text


def test_omega_is_a_letter_not_a_question_mark():
    assert tex_math("Ω_1") == r"\Omega_1"
    assert "?" not in tex_math("E = loss + λ·Ω")
    assert r"\Omega" in tex_math("E = loss + λ·Ω")


def test_greek_command_followed_by_a_letter_keeps_a_space():
    assert r"\Gammao" not in tex_text("a = Γo * c")
    assert r"\Gamma o" in tex_text("a = Γo * c")
