"""The floors: what the same stack does at best on this machine, served by gunicorn with the
same settings as convene in the same benchmark run.

    gunicorn -c gunicorn.conf.py 'bench.floor:make_app("postgresql+psycopg://…")'

    /constant        a fixed body, no database, no template
    /constant/<n>    a fixed body of n bytes (to compare a cached feed of that size)
    /row/<id>        one primary-key query
    /page            a Jinja page of 50 items
"""

from flask import Flask, Response, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Items</title></head>
<body><main><h1>Items</h1><ul>
{% for item in items %}
<li><a href="/items/{{ item.id }}">{{ item.title }}</a> — {{ item.city }}</li>
{% endfor %}</ul></main></body></html>"""


def make_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db = SQLAlchemy(app)
    bodies: dict[int, bytes] = {}
    items = [{"id": i, "title": f"Event {i}: open government", "city": "Paris"} for i in range(50)]

    @app.get("/constant")
    def constant():
        return "ok"

    @app.get("/constant/<int:size>")
    def constant_of(size: int):
        if size not in bodies:
            bodies[size] = b"x" * size
        return Response(bodies[size], mimetype="text/calendar")

    @app.get("/row/<int:row_id>")
    def row(row_id: int):
        found = db.session.execute(
            text("SELECT id, title FROM events WHERE id = :id"), {"id": row_id}
        ).first()
        return {"id": found[0], "title": found[1]} if found else ({}, 404)

    @app.get("/page")
    def page():
        return render_template_string(PAGE, items=items)

    return app
