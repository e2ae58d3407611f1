"""What the soak's people type and send (``bench/soakusers.py``): the registration's
content, small evidence files (a PDF, a JPEG photo) different every time — files are
stored under their content hash — and the multipart body a browser's upload sends.
Standard library, and Pillow (a requirement of the product) to make the photo once."""

import io
import random
import time


def fields(form, values: dict) -> list:
    """The form's fields as a browser sends them (``values`` replacing some), without the
    CSRF token (``Person.send`` adds the session's) and without any button."""
    sent = [(n, values.get(n, v)) for n, v in form.fields if n != "csrfmiddlewaretoken"]
    return sent + [(n, v) for n, v in values.items() if n not in form.names()]


def registration_content(rng: random.Random) -> dict:
    """Every item the submission requires, for a collective model."""
    text = "Vận động nhân dân cùng làm, cùng hưởng lợi; " * rng.randint(3, 12)
    year = time.gmtime().tm_year
    return {
        "situation": "Thực trạng: " + text,
        "goals": "Mục tiêu: " + text,
        "content": "Nội dung, cách làm: " + text,
        "area": "Toàn xã",
        "forces": "Mặt trận, các đoàn thể và nhân dân",
        "lead_name": "Nguyễn Văn An",
        "lead_phone": f"09{rng.randrange(10**8):08d}",
        "resources": "Nhân dân đóng góp ngày công, vật liệu",
        "planned_start": f"{year}-01-15",
        "planned_end": f"{year}-12-15",
        "timeline": "Quý I: khảo sát; quý II–IV: triển khai",
        "outputs": "Đường giao thông nông thôn được bê tông hóa",
        "sustainability": "Tổ tự quản duy trì, bảo dưỡng",
    }


def pdf(rng: random.Random) -> bytes:
    """A small valid one-page PDF (≈ 600 bytes)."""
    text = f"Bien ban so {rng.randrange(10**9)}".encode()
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


_PHOTO: list = []


def jpeg(rng: random.Random) -> bytes:
    """A small JPEG photo (320 × 240, ≈ 30 kB, made once), made different every time by
    a comment segment right after the start-of-image marker."""
    if not _PHOTO:
        from PIL import Image

        buffer = io.BytesIO()
        Image.effect_noise((320, 240), 40).convert("RGB").save(buffer, "JPEG", quality=80)
        _PHOTO.append(buffer.getvalue())
    body = _PHOTO[0]
    comment = f"soak {rng.randrange(10**12)}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return body[:2] + segment + body[2:]


def multipart(pairs: list, file: tuple) -> tuple[bytes, str]:
    """``multipart/form-data`` of text fields and one file ``(field, filename, bytes)``;
    returns the body and its Content-Type."""
    boundary = f"----soak{random.randrange(10**16):016d}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in pairs
    ]
    name, filename, body = file
    kind = "application/pdf" if filename.endswith(".pdf") else "image/jpeg"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
    )
    parts.append(head.encode() + body + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
