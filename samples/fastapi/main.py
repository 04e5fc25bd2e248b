"""A FastAPI sample for Local LB: each copy says which port it serves (PORT, set by Local LB)."""
import os

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
def hello():
    return f"hello from FastAPI on port {os.environ.get('PORT', '?')}"


@app.get("/health", response_class=PlainTextResponse)
def health():
    return "ok"
