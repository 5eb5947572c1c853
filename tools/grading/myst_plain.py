"""MyST Markdown -> the plain Markdown that Jupyter shows, for the students' notebooks.

The book's markdown cells are written for Jupyter Book: ```` ```{exercise} ```` fences,
```` ```{note} ```` admonitions, ``{glue:text}`name` `` numbers, ``{ref}`label` `` links and
``(label)=`` targets.  JupyterLab renders none of these; a student would see the raw syntax.
:func:`plain_markdown` turns one cell's text into what a reader of the HTML book sees, as
plain Markdown:

- an exercise becomes a heading ``### Exercise 2: Title`` (numbered in the notebook's order,
  as sphinx-exercise numbers them on the page) followed by its text;
- ``{solution-start}`` / ``{solution-end}`` markers disappear (the solution cells between
  them are nbgrader solution cells, which nbgrader itself empties);
- an admonition (note, warning, tip, ...) becomes a block quote that starts with its title;
- ``{glue:text}`name` `` becomes the glued value stored in the notebook's outputs;
- ``{ref}``, ``{numref}``, ``{doc}``, ``{eq}`` become the text of what they point to
  ("Exercise 3", "Fig. 1", the chapter's title); ``{math}`x` `` becomes ``$x$``;
- ``(label)=`` target lines and equation labels after ``$$`` disappear.

A gated ```` ```{solution} ```` inside a cell that nbgrader will not empty would hand the
answer out, so it is refused (:class:`MystError`).  Unknown directives keep their text under
a bold title and are reported through ``warn``.

:class:`Context` holds what the conversion needs from the whole notebook (exercise numbers,
glued values, figure numbers, titles of other chapters); :func:`notebook_context` collects it.
"""
import ast
import dataclasses
import pathlib
import re

ADMONITIONS = {"note", "warning", "tip", "hint", "important", "caution", "attention", "danger",
               "error", "seealso", "admonition", "margin", "sidebar", "aside", "dropdown",
               "topic"}
_TITLES = {"seealso": "See also"}
_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[^}\s]+)\}[ \t]*(?P<arg>.*)$")
_CODE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_TARGET = re.compile(r"^ {0,3}\((?P<label>[^()\s]+)\)=[ \t]*$")
_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:.+-]*)\}`(?P<content>[^`]*)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_EQ_LABEL = re.compile(r"^(?P<head>.*\$\$)[ \t]*\((?P<label>[^()\s]+)\)[ \t]*$")
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


class MystError(ValueError):
    """The notebook cannot be turned into a student version without giving something away."""


@dataclasses.dataclass
class Context:
    """What :func:`plain_markdown` needs to know about the notebook a cell belongs to.

    Attributes
    ----------
    glue : dict
        Glued name -> its text, as the book shows it.
    targets : dict
        Label -> the text a reference to it shows ("Exercise 2 (The cost)", "Fig. 1",
        a section's heading, "(3)" for an equation).
    numbers : dict
        Label -> the short name a ``{numref}`` shows ("Exercise 2", "Fig. 1", "(3)").
    exercises : dict
        Exercise label -> (number, title or "").
    doc_titles : dict
        Document name (as in ``_toc.yml``, no suffix) -> its title, for ``{doc}``.
    doc_dir : str or pathlib.Path
        Folder of the document: ``{glue:text}`other.ipynb::name` `` reads the value glued in
        the notebook ``other.ipynb`` there.
    """
    glue: dict = dataclasses.field(default_factory=dict)
    targets: dict = dataclasses.field(default_factory=dict)
    numbers: dict = dataclasses.field(default_factory=dict)
    exercises: dict = dataclasses.field(default_factory=dict)
    doc_titles: dict = dataclasses.field(default_factory=dict)
    doc_dir: str = "book"
    _other: dict = dataclasses.field(default_factory=dict, repr=False)

    def other_glue(self, doc):
        """Name -> text of the values glued in another notebook of ``doc_dir``."""
        if doc not in self._other:
            import json
            path = pathlib.Path(self.doc_dir) / doc
            try:
                self._other[doc] = glued_values(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as err:
                raise MystError(f"cannot read the glued values of {doc} ({path}): {err}") from None
        return self._other[doc]


def _text(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


# --- reading a notebook -----------------------------------------------------------------

def glued_values(nb):
    """Name -> text/plain of every value glued in the notebook's stored outputs.

    myst-nb stores ``glue(name, value)`` as a display_data output whose metadata holds
    ``scrapbook: {name, mime_prefix}``; the value's text/plain is a Python literal (the
    repr of the glued string); :func:`format_glued` turns it into what the book prints.
    """
    found = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if not scrap or "name" not in scrap:
                continue
            data = output.get("data", {})
            prefix = scrap.get("mime_prefix", "")
            raw = data.get(prefix + "text/plain", data.get("text/plain"))
            if raw is None:
                continue
            found[scrap["name"]] = raw if isinstance(raw, str) else "".join(raw)
    return found


def glue_key(content):
    """(document or None, name, format spec) of a glue role's ``[doc.ipynb::]name[:spec]``."""
    key, spec = content.strip(), "s"
    if ":" in key.rsplit("::", 1)[-1]:
        key, spec = key.rsplit(":", 1)
    doc = None
    if "::" in key:
        doc, key = key.split("::", 1)
    return doc, key, spec


def format_glued(raw, spec="s"):
    """A glued text/plain value as ``{glue:text}`name:spec` `` shows it (myst-nb's rule)."""
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    if spec == "":
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def _directives(text):
    """(name, argument, options) of every directive opened in ``text``, outermost first."""
    found, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if m:
            options, j = {}, i + 1
            while j < len(lines) and _OPTION.match(lines[j]):
                o = _OPTION.match(lines[j])
                options[o["key"]] = o["value"].strip() or True
                j += 1
            found.append((m["name"], m["arg"].strip(), options))
        i += 1
    return found


def notebook_context(nb, doc_titles=None, doc_dir="book"):
    """The :class:`Context` of a notebook: its exercises, figures, glue and targets.

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
    doc_titles : dict, optional
        Document name -> title, for ``{doc}`` roles (see :func:`document_titles`).
    doc_dir : str or pathlib.Path, default "book"
        The folder of the notebook (for glue from other notebooks).

    Returns
    -------
    Context
    """
    ctx = Context(glue=glued_values(nb), doc_titles=dict(doc_titles or {}), doc_dir=doc_dir)
    exercise, figure, equation = 0, 0, 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            fig = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
            if fig:
                figure += 1
                if fig.get("name"):
                    ctx.targets[fig["name"]] = ctx.numbers[fig["name"]] = f"Fig. {figure}"
            continue
        if cell["cell_type"] != "markdown":
            continue
        text = _text(cell)
        for name, arg, options in _directives(text):
            if name in ("exercise", "exercise-start"):
                if "nonumber" in options:
                    if options.get("label"):
                        ctx.exercises[options["label"]] = (None, arg)
                        ctx.targets[options["label"]] = arg or "Exercise"
                    continue
                exercise += 1
                label = options.get("label", "")
                if label:
                    ctx.exercises[label] = (exercise, arg)
                    short = f"Exercise {exercise}"
                    ctx.numbers[label] = short
                    ctx.targets[label] = f"{short} ({arg})" if arg else short
            elif name == "figure" and options.get("name"):
                figure += 1
                ctx.targets[options["name"]] = ctx.numbers[options["name"]] = f"Fig. {figure}"
            elif name == "math" and options.get("label"):
                equation += 1
                ctx.targets[options["label"]] = ctx.numbers[options["label"]] = f"({equation})"
        lines = text.split("\n")
        for k, line in enumerate(lines):
            t = _TARGET.match(line)
            if t:
                heading = next((_HEADING.match(x) for x in lines[k + 1:] if x.strip()), None)
                ctx.targets.setdefault(t["label"], heading["text"] if heading else t["label"])
            e = _EQ_LABEL.match(line)
            if e:
                equation += 1
                ctx.targets[e["label"]] = ctx.numbers[e["label"]] = f"({equation})"
    return ctx


def document_titles(folder):
    """Document name -> title (the first ``#`` heading) of every notebook and page in ``folder``."""
    import json
    titles = {}
    for path in sorted(pathlib.Path(folder).iterdir()):
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".ipynb":
            try:
                nb = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            text = "\n".join(_text(c) for c in nb.get("cells", []) if c.get("cell_type") == "markdown")
        else:
            continue
        m = re.search(r"^# +(.+?)\s*$", text, re.M)
        if m:
            titles[path.stem] = m.group(1)
    return titles


# --- converting one cell -----------------------------------------------------------------

def _explicit(content):
    """('text', 'target') for ``text <target>``, else (None, content)."""
    m = _EXPLICIT.match(content.strip())
    return (m["text"], m["target"].strip()) if m and m["text"] else (None, content.strip())


def _role(name, content, ctx, warn):
    if name in ("glue", "glue:", "glue:text", "glue:any", "glue:md"):
        doc, key, spec = glue_key(content)
        values, where = ctx.glue, "the stored outputs"
        if doc:                                      # {glue:text}`other.ipynb::name:s`
            values, where = ctx.other_glue(doc), f"the stored outputs of {doc}"
        if key not in values:
            raise MystError(f"{{{name}}}`{content}`: no value glued under {key!r} in {where} "
                            "(execute the chapter first)")
        if name == "glue:md":
            spec = ""
        try:
            return format_glued(values[key], spec)
        except (ValueError, TypeError) as err:
            raise MystError(f"{{{name}}}`{content}`: cannot format {values[key]} as {spec!r}: "
                            f"{err}") from None
    if name in ("ref", "numref", "eq", "doc", "any", "term", "download", "external"):
        text, target = _explicit(content)
        if name == "doc":
            title = ctx.doc_titles.get(pathlib.PurePosixPath(target).name, target)
            return text or title
        if name == "numref" and text is not None:
            number = ctx.numbers.get(target, "").replace("Exercise ", "").replace("Fig. ", "")
            return text.replace("%s", number.strip("()")).replace("{number}", number.strip("()"))
        if text is not None:
            return text
        if name == "eq" or name == "numref":
            return ctx.numbers.get(target, ctx.targets.get(target, target))
        if target not in ctx.targets:
            warn(f"{{{name}}}`{content}`: unknown label, shown as its name")
        return ctx.targets.get(target, target)
    if name == "math":
        return f"${content}$"
    if name in ("sub", "sup"):
        return f"<{name}>{content}</{name}>"
    if name == "abbr":
        return content
    warn(f"unknown role {{{name}}}, replaced by its text")
    return _explicit(content)[0] or content


def _roles(line, ctx, warn):
    """Replace every role in one line by its plain text."""
    return _ROLE.sub(lambda m: _role(m["name"], m["content"], ctx, warn), line)


def _quote(lines):
    return [("> " + line).rstrip() for line in lines]


def _convert(lines, ctx, warn, solution_ok):
    """Convert a list of lines (one level of nesting); returns the new lines."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        code = _CODE_OPEN.match(line)
        opened = _OPEN.match(line)
        if opened is None and code is not None:                  # a code block: as it is
            fence = code["fence"]
            out.append(line)
            i += 1
            while i < len(lines):
                out.append(lines[i])
                if lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == "":
                    i += 1
                    break
                i += 1
            continue
        if opened is None:
            if _TARGET.match(line):
                i += 1
                continue
            eq = _EQ_LABEL.match(line)
            if eq:
                line = eq["head"]
            out.append(_roles(line, ctx, warn))
            i += 1
            continue
        # a directive: options, body up to the matching fence
        fence, name, arg = opened["fence"], opened["name"], opened["arg"].strip()
        options, j = {}, i + 1
        if j < len(lines) and lines[j].strip() == "---":          # YAML options block
            k = j + 1
            while k < len(lines) and lines[k].strip() != "---":
                key, _, value = lines[k].partition(":")
                options[key.strip()] = value.strip()
                k += 1
            j = k + 1
        while j < len(lines) and _OPTION.match(lines[j]):
            o = _OPTION.match(lines[j])
            options[o["key"]] = o["value"].strip()
            j += 1
        body, depth = [], 0
        while j < len(lines):
            s = lines[j].strip()
            inner = _OPEN.match(lines[j])
            if inner and inner["fence"][0] == fence[0] and len(inner["fence"]) >= len(fence):
                depth += 1
            elif s and set(s) == {fence[0]} and len(s) >= len(fence):
                if depth == 0:
                    break
                depth -= 1
            body.append(lines[j])
            j += 1
        else:
            warn(f"the {{{name}}} directive opened by {line!r} is never closed")
        i = j + 1
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        inner = _convert(body, ctx, warn, solution_ok)
        out += _directive(name, arg, options, inner, ctx, warn, solution_ok)
    return out


def _directive(name, arg, options, body, ctx, warn, solution_ok):
    if name in ("solution-start", "solution-end", "exercise-end"):
        return []
    if name in ("exercise", "exercise-start"):
        number, title = ctx.exercises.get(options.get("label", ""), (None, arg))
        head = "### Exercise" + (f" {number}" if number else "") + (f": {title}" if title else "")
        return [head, ""] + body
    if name == "solution":
        if not solution_ok:
            raise MystError(f"a {{solution}} directive ({arg}) in a cell nbgrader does not empty "
                            "would give the answer away; use {solution-start} ... {solution-end} "
                            "around nbgrader solution cells")
        return body
    if name in ADMONITIONS:
        if name in ("admonition", "dropdown", "topic", "margin", "sidebar"):
            title = arg or _TITLES.get(name, name.capitalize())
            if name in ("margin", "sidebar") and not arg:
                return _quote(body)
        else:                        # {note} text: the text after the name is the first line
            title = _TITLES.get(name, name.capitalize())
            body = ([_roles(arg, ctx, warn)] if arg else []) + body
        return _quote([f"**{title}**", ""] + body)
    if name == "math":
        return ["$$"] + body + ["$$"]
    if name in ("code-block", "code", "code-cell", "sourcecode"):
        return ["```" + arg] + body + ["```"]
    if name in ("figure", "image"):
        caption = " ".join(line.strip() for line in body if line.strip())
        alt = options.get("alt", caption or arg)
        number = ctx.numbers.get(options.get("name", ""), "")
        lines = [f"![{alt}]({arg})"]
        if caption:
            lines += ["", f"*{number + ': ' if number else ''}{caption}*"]
        warn(f"{{{name}}} {arg}: the image file is not copied next to the student notebook")
        return lines
    if name in ("glue:md", "glue:text", "glue:any", "glue"):
        return [_role("glue:text", arg, ctx, warn)]
    if name == "glue:math":
        return ["$$", _role("glue:text", arg, ctx, warn), "$$"]
    if name == "glue:figure":
        return [f"*(The figure `{arg}` appears when you run the cell that makes it.)*"]
    warn(f"unknown directive {{{name}}}: its text is kept under a bold title")
    return [f"**{arg or name}**", ""] + body


def plain_markdown(text, ctx, warn=None, solution_ok=False):
    """One markdown cell's MyST text as plain Markdown.

    Parameters
    ----------
    text : str
        The cell's source.
    ctx : Context
        What the notebook says about labels and glued values (:func:`notebook_context`).
    warn : callable, optional
        Called with a message for everything kept as plain text without being understood.
    solution_ok : bool, default False
        True for cells nbgrader replaces by a stub anyway (solution cells): a
        ``{solution}`` directive is then allowed.

    Returns
    -------
    str
        The converted text; empty if the cell held only markers and targets.

    Raises
    ------
    MystError
        If the cell would give a solution away, or names a glued value the notebook lacks.
    """
    warn = warn or (lambda message: None)
    lines = _convert(text.split("\n"), ctx, warn, solution_ok)
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n")
    return out
