"""How long the self-diagnostic takes, measured on the questionnaire itself, so that
every page that announces it says the same thing."""

import math

WORDS_PER_MINUTE = 200  # silent reading of plain French on a screen, unhurried
SECONDS_PER_ANSWER = 10  # weighing the choices and ticking one
PROFILE_MINUTES = 2  # role, commune (searched by name), consent
ROUND_TO = 5  # minutes: announced as "about N minutes"


def questionnaire_words(axes) -> tuple[int, int]:
    """(questions, words) of a questionnaire's axes: every question, follow-ups
    included, with its help text and the labels of its choices."""
    questions = words = 0
    for axis in axes:
        for question in axis.questions.all():
            questions += 1
            words += len(f"{question.text} {question.help_text}".split())
            words += sum(len(choice.label.split()) for choice in question.choices.all())
    return questions, words


def answering_minutes(questions: int, words: int) -> int:
    """PROFILE_MINUTES + words / WORDS_PER_MINUTE + questions × SECONDS_PER_ANSWER / 60,
    rounded up to the next multiple of ROUND_TO minutes."""
    minutes = PROFILE_MINUTES + words / WORDS_PER_MINUTE + questions * SECONDS_PER_ANSWER / 60
    return max(ROUND_TO, math.ceil(minutes / ROUND_TO) * ROUND_TO)


def diagnostic_minutes(axes) -> int:
    return answering_minutes(*questionnaire_words(axes))


def duration_rule() -> str:
    """The rule, in French, for the pages that show the figure."""
    return (
        f"estimation calculée sur le questionnaire\u00a0: {WORDS_PER_MINUTE} mots lus par minute, "
        f"{SECONDS_PER_ANSWER} secondes par réponse, {PROFILE_MINUTES} minutes pour le profil, "
        f"arrondi aux {ROUND_TO} minutes supérieures"
    )
