"""Just enough of the protobuf wire format to read the few small messages in an Anki package.

Anki keeps the package version, the media list and note type settings as protobuf blobs. They are
tiny and we need only a handful of fields, so a hand-written reader spares a dependency.
"""

from __future__ import annotations

from collections.abc import Iterator

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """Bytes that are not a well-formed protobuf message."""


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data):
            raise ProtobufError("truncated number")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
        if shift > 63:
            raise ProtobufError("number too long")


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) pairs in order: numbers for varints, bytes for everything else."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            value, position = _varint(data, position)
        elif wire_type == _BYTES:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ProtobufError("truncated field")
            value, position = data[position:position + length], position + length
        elif wire_type in (_FIXED64, _FIXED32):
            width = 8 if wire_type == _FIXED64 else 4
            if position + width > len(data):
                raise ProtobufError("truncated field")
            value, position = data[position:position + width], position + width
        else:
            raise ProtobufError(f"unsupported wire type {wire_type}")
        if number == 0:
            raise ProtobufError("field number 0")
        yield number, value


def number_field(data: bytes, number: int, default: int = 0) -> int:
    """The last value of a varint field, as protobuf readers do for repeated scalars."""
    found = default
    for field_number, value in fields(data):
        if field_number == number and isinstance(value, int):
            found = value
    return found


def text_field(data: bytes, number: int, default: str = "") -> str:
    found = default
    for field_number, value in fields(data):
        if field_number == number and isinstance(value, bytes):
            found = value.decode("utf-8", "replace")
    return found


def message_fields(data: bytes, number: int) -> list[bytes]:
    """Every occurrence of a repeated sub-message field."""
    return [value for field_number, value in fields(data)
            if field_number == number and isinstance(value, bytes)]
