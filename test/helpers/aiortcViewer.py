"""A WHEP viewer on aiortc (Debian's python3-aiortc): an independent WebRTC stack, so a test
that passes with it shows OnAir speaks standard WebRTC, not werift to werift.

    /usr/bin/python3 test/helpers/aiortcViewer.py <whep-url> <seconds>

Prints one JSON line: frames decoded per kind, the video size, and the ms from the WHEP POST
to the first decoded video frame.
"""
import asyncio
import json
import sys
import time
import urllib.request

from aiortc import RTCPeerConnection, RTCSessionDescription


def post_offer(url: str, sdp: str) -> tuple[str, str]:
    request = urllib.request.Request(url, data=sdp.encode(), method="POST", headers={"content-type": "application/sdp"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode(), response.headers["location"]


async def watch(url: str, seconds: float) -> dict:
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    pc.addTransceiver("audio", direction="recvonly")
    result = {"video": 0, "audio": 0, "width": 0, "height": 0, "firstVideoMs": None}
    done = asyncio.Event()
    started = time.monotonic()

    async def consume(track):
        while not done.is_set():
            try:
                frame = await asyncio.wait_for(track.recv(), timeout=1)
            except (asyncio.TimeoutError, Exception):
                if done.is_set():
                    return
                continue
            result[track.kind] += 1
            if track.kind == "video":
                result["width"], result["height"] = frame.width, frame.height
                if result["firstVideoMs"] is None:
                    result["firstVideoMs"] = round((time.monotonic() - started) * 1000)

    tasks = []
    pc.on("track", lambda track: tasks.append(asyncio.ensure_future(consume(track))))
    await pc.setLocalDescription(await pc.createOffer())
    started = time.monotonic()
    answer, location = await asyncio.get_running_loop().run_in_executor(None, post_offer, url, pc.localDescription.sdp)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await asyncio.sleep(seconds)
    done.set()
    result["location"] = location
    await asyncio.gather(*tasks, return_exceptions=True)
    await pc.close()
    return result


if __name__ == "__main__":
    whep_url, duration = sys.argv[1], float(sys.argv[2])
    print(json.dumps(asyncio.run(asyncio.wait_for(watch(whep_url, duration), timeout=duration + 20))), flush=True)
