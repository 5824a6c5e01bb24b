"""The ASGI application uvicorn serves, configured from the environment."""

from socialode.app import create_app

app = create_app()
