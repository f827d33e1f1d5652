from flask import Blueprint

bp = Blueprint("suggestions", __name__)
