from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class GetPriceRequest(_message.Message):
    __slots__ = ["color", "model_code", "year"]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    MODEL_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    color: str
    model_code: str
    year: int
    def __init__(self, model_code: _Optional[str] = ..., color: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class GetPriceResponse(_message.Message):
    __slots__ = ["currency_code", "price"]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    currency_code: str
    price: int
    def __init__(self, price: _Optional[int] = ..., currency_code: _Optional[str] = ...) -> None: ...
