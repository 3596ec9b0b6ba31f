"""The select widget that renders each list of options once (convene/forms.py): the same
HTML as WTForms' own, escaped, with the chosen option marked whatever was kept before."""

from wtforms import Form
from wtforms import SelectField as PlainSelectField

from convene.forms import SelectField, choices


class Mine(Form):
    pick = SelectField("Pick")


class Theirs(Form):
    pick = PlainSelectField("Pick")


OPTIONS = [("", "Any"), ("fr", "France"), ("x", '<script>alert("x")</script> & co')]


def rendered(form_class, data):
    form = form_class(data={"pick": data})
    form.pick.choices = choices(OPTIONS)
    return str(form.pick())


def test_the_same_html_as_wtforms_for_every_choice():
    for data in ("", "fr", "x", "unknown"):
        assert rendered(Mine, data) == rendered(Theirs, data)


def test_labels_are_escaped_and_the_choice_is_marked_after_another_was_kept():
    rendered(Mine, "fr")  # kept with France chosen
    html = rendered(Mine, "x")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html
    assert '<option selected value="x">' in html
    assert '<option value="fr">' in html
