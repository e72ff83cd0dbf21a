from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class VehicleListed(_message.Message):
    __slots__ = ["color", "dealer", "listed_at", "manufacturer_code", "manufacturer_name", "model_code", "model_name", "registration", "year"]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    DEALER_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_CODE_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_CODE_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    color: str
    dealer: str
    listed_at: str
    manufacturer_code: str
    manufacturer_name: str
    model_code: str
    model_name: str
    registration: str
    year: int
    def __init__(self, registration: _Optional[str] = ..., manufacturer_code: _Optional[str] = ..., manufacturer_name: _Optional[str] = ..., model_code: _Optional[str] = ..., model_name: _Optional[str] = ..., color: _Optional[str] = ..., year: _Optional[int] = ..., listed_at: _Optional[str] = ..., dealer: _Optional[str] = ...) -> None: ...

class VehiclePriced(_message.Message):
    __slots__ = ["color", "currency_code", "dealer", "listed_at", "manufacturer_code", "manufacturer_name", "model_code", "model_name", "price", "priced_at", "priced_by", "registration", "year"]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DEALER_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_CODE_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_CODE_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    PRICED_AT_FIELD_NUMBER: _ClassVar[int]
    PRICED_BY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    color: str
    currency_code: str
    dealer: str
    listed_at: str
    manufacturer_code: str
    manufacturer_name: str
    model_code: str
    model_name: str
    price: int
    priced_at: str
    priced_by: str
    registration: str
    year: int
    def __init__(self, registration: _Optional[str] = ..., manufacturer_code: _Optional[str] = ..., manufacturer_name: _Optional[str] = ..., model_code: _Optional[str] = ..., model_name: _Optional[str] = ..., color: _Optional[str] = ..., year: _Optional[int] = ..., listed_at: _Optional[str] = ..., price: _Optional[int] = ..., currency_code: _Optional[str] = ..., priced_at: _Optional[str] = ..., priced_by: _Optional[str] = ..., dealer: _Optional[str] = ...) -> None: ...

class VehicleRemoved(_message.Message):
    __slots__ = ["color", "dealer", "listed_at", "manufacturer_code", "manufacturer_name", "model_code", "model_name", "registration", "removed_at", "year"]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    DEALER_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_CODE_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_CODE_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    REMOVED_AT_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    color: str
    dealer: str
    listed_at: str
    manufacturer_code: str
    manufacturer_name: str
    model_code: str
    model_name: str
    registration: str
    removed_at: str
    year: int
    def __init__(self, registration: _Optional[str] = ..., manufacturer_code: _Optional[str] = ..., manufacturer_name: _Optional[str] = ..., model_code: _Optional[str] = ..., model_name: _Optional[str] = ..., color: _Optional[str] = ..., year: _Optional[int] = ..., listed_at: _Optional[str] = ..., removed_at: _Optional[str] = ..., dealer: _Optional[str] = ...) -> None: ...

class VehicleUpdated(_message.Message):
    __slots__ = ["color", "dealer", "listed_at", "manufacturer_code", "manufacturer_name", "model_code", "model_name", "registration", "updated_at", "year"]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    DEALER_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_CODE_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_CODE_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    color: str
    dealer: str
    listed_at: str
    manufacturer_code: str
    manufacturer_name: str
    model_code: str
    model_name: str
    registration: str
    updated_at: str
    year: int
    def __init__(self, registration: _Optional[str] = ..., manufacturer_code: _Optional[str] = ..., manufacturer_name: _Optional[str] = ..., model_code: _Optional[str] = ..., model_name: _Optional[str] = ..., color: _Optional[str] = ..., year: _Optional[int] = ..., listed_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., dealer: _Optional[str] = ...) -> None: ...
