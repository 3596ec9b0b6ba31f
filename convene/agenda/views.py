"""Agenda pages: the public agenda, the organisers' editor and import, one's own agenda."""

from flask import Blueprint

bp = Blueprint("agenda", __name__)
