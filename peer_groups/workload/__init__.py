from flask import Blueprint

bp = Blueprint("workload", __name__)
