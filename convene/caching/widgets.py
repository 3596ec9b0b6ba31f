"""WTForms' select widget, with each distinct list of options rendered once per process."""

from functools import lru_cache

from markupsafe import Markup
from wtforms.fields.choices import Choice
from wtforms.widgets import Select, html_params


class OptionsOnceSelect(Select):
    """WTForms' select, with each distinct list of options rendered once per process.

    The long lists (some 250 countries, 600 time zones) are the same on every request, and
    rendering them option by option took a third of the events list and the agenda pages.
    The key is the options themselves (value, label in the reader's language, selected), so
    a kept list is never stale; the 256 lists used last are kept."""

    def __call__(self, field, **kwargs):
        found = field.iter_choices()
        if field.has_groups() or any(choice.render_kw for choice in found):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        items = tuple((c.value, "" if c.label is None else str(c.label), c.selected) for c in found)
        # html_params escapes every attribute; the options are escaped by render_option.
        tag = html_params(name=field.name, **kwargs)
        return Markup(f"<select {tag}>{_options(items)}</select>")  # noqa: S704  # nosec B704


@lru_cache(maxsize=256)
def _options(items: tuple[tuple[str, str, bool], ...]) -> str:
    return "".join(
        Select.render_option(Choice(value, label, selected, None))
        for value, label, selected in items
    )
