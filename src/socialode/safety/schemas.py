"""What a send carries to answer a pause (see ``safety.pause``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from socialode.safety.pause import PauseAnswer


class PauseFields(BaseModel):
    pause_token: str = Field(
        default="",
        max_length=400,
        description="The token of the pause (a 409 answer) this send answers. With a changed "
        "text, the sender rephrased; with `send_anyway`, the same text is sent as it is.",
    )
    send_anyway: bool = Field(
        default=False,
        description="Send the paused text unchanged (needs the pause's `pause_token`).",
    )

    def pause_answer(self) -> PauseAnswer:
        return PauseAnswer(self.pause_token, self.send_anyway)
