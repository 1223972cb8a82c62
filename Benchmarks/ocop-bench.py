"""Times the OCOP pages and feeds on a running server (medians of repeated requests, bytes as
sent), then uploads photos through the officer's page and times their resizing."""
import http.cookiejar
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

base, photos, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def timed(path, runs):
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        with opener.open(base + path, timeout=60) as response:
            size = len(response.read())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def line(label, median, size):
    print(f"{label:<38} median {median:8.1f} ms   {size / 1024:9.1f} KB")


print(f"OCOP register: {base}")
for label, path, runs in [("public list /ocop (all)", "/ocop", 10), ("public list, 5★ only", "/ocop?stars=5", 10),
                          ("product page", "/ocop/san-pham-2500", 30), ("check page (packaging QR)", "/ocop/san-pham-2500/kiem-tra", 30),
                          ("Google feed google.xml", "/ocop/feeds/google.xml", 5), ("CSV feed products.csv", "/ocop/feeds/products.csv", 5)]:
    line(label, *timed(path, runs))

# Photos: the administrator adds one 1600×1200 JPEG to each of `photos` products.
form = opener.open(base + "/login").read().decode()
fields = dict(re.findall(r'name="(_csrf|_once)" value="([^"]*)"', form))
opener.open(urllib.request.Request(base + "/login", data=urllib.parse.urlencode({**fields, "username": "admin", "password": "chosodemo"}).encode()))
photo = f"{work}/photo.jpg"
subprocess.run(["vips", "gaussnoise", f"{work}/noise.v", "1600", "1200"], check=True)
subprocess.run(["vips", "colourspace", f"{work}/noise.v", photo + "[Q=85]", "srgb"], check=True)
data = open(photo, "rb").read()
times = []
for index in range(photos):
    slug = f"san-pham-{index + 1}"
    page = opener.open(base + f"/ocop/register/{slug}").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]*)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(base + f"/ocop/register/{slug}/photos", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    start = time.perf_counter()
    with opener.open(request, timeout=60) as response:
        assert response.status == 200 and 'id="photo-error"' not in response.read().decode(), f"{slug}: the photo was refused"
    times.append((time.perf_counter() - start) * 1000)
print(f"{photos} photos of {len(data) / 1024:.0f} KB (1600×1200) resized to 1200 and 400 px: median {statistics.median(times):.0f} ms each, "
      f"{sum(times) / 1000:.1f} s in all")
