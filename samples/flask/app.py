"""The sample backend of Local LB: answers with the MSG environment variable."""
import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return os.environ.get("MSG", "hello from Flask")


@app.route("/health")
def health():
    return "ok"
