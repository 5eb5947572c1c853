"""Small HTML fixes that make the course book work offline and load without console errors.

1. MathJax from the book's own files.  Sphinx loads MathJax from a CDN by default; a reader
   offline (or a sandboxed CI) then sees raw LaTeX.  The ``django-static-mathjax`` package
   ships MathJax 3 (Apache-2.0); its ``es5`` build is copied into ``_static/mathjax``.
2. Each inline script once.  The thebe configuration script is added twice to every page
   by the theme and the extension together; the second copy re-declares a ``const`` and
   the browser reports a SyntaxError.
3. A valid default colour mode for the theme (light, dark or auto, as the reader chose),
   instead of an empty one that the theme reports as an error on first visit.
4. The book on a phone, a tablet and paper (issue 12): ``_static/course-sidebars.js`` makes
   the two sidebar buttons work at every width (the pinned themes bind them to a hidden copy),
   and ``_static/course.css`` keeps the page from scrolling sideways, gives wide equations,
   tables and code a visibly scrolling box, fits figures and the λ player to the column and
   makes printing cut no line.  Both files are read from ``book/_static`` next to this folder.
"""
import pathlib
import shutil

import mathjax

ES5 = pathlib.Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
MATHJAX_PARTS = ["tex-chtml.js", "input", "output", "adaptors", "a11y", "ui", "sre"]
STATIC = pathlib.Path(__file__).resolve().parent.parent / "_static"   # book/_static


def configure(app, config):
    config.mathjax_path = "mathjax/tex-chtml.js"
    if str(STATIC) not in [str(pathlib.Path(app.confdir, p).resolve()) for p in config.html_static_path]:
        config.html_static_path.append(str(STATIC))


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = pathlib.Path(app.outdir) / "_static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    for name in MATHJAX_PARTS:
        source = ES5 / name
        if source.is_dir():
            shutil.copytree(source, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target / name)


def fix_page(app, pagename, templatename, context, doctree):
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # the same file or inline body twice, whatever its priority, is one script too many
        key = (str(getattr(script, "filename", script) or ""),   # inline scripts: None or ""
               tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("config-inited", configure, priority=900)
    app.connect("html-page-context", fix_page, priority=900)
    app.connect("build-finished", copy_mathjax)
    app.add_css_file("course.css", priority=900)             # after the themes' own styles
    app.add_js_file("course-sidebars.js", priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
