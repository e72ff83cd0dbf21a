from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

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
    __slots__ = ["breakdown", "currency_code", "price"]
    BREAKDOWN_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    breakdown: PriceBreakdown
    currency_code: str
    price: int
    def __init__(self, price: _Optional[int] = ..., currency_code: _Optional[str] = ..., breakdown: _Optional[_Union[PriceBreakdown, _Mapping]] = ...) -> None: ...

class GetPricesRequest(_message.Message):
    __slots__ = ["cars", "traceparents"]
    CARS_FIELD_NUMBER: _ClassVar[int]
    TRACEPARENTS_FIELD_NUMBER: _ClassVar[int]
    cars: _containers.RepeatedCompositeFieldContainer[GetPriceRequest]
    traceparents: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cars: _Optional[_Iterable[_Union[GetPriceRequest, _Mapping]]] = ..., traceparents: _Optional[_Iterable[str]] = ...) -> None: ...

class GetPricesResponse(_message.Message):
    __slots__ = ["error", "index", "price"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    error: PriceError
    index: int
    price: GetPriceResponse
    def __init__(self, index: _Optional[int] = ..., price: _Optional[_Union[GetPriceResponse, _Mapping]] = ..., error: _Optional[_Union[PriceError, _Mapping]] = ...) -> None: ...

class PriceBreakdown(_message.Message):
    __slots__ = ["age_years", "base_price", "color_adjustment_basis_points", "floor_applied", "retained_basis_points"]
    AGE_YEARS_FIELD_NUMBER: _ClassVar[int]
    BASE_PRICE_FIELD_NUMBER: _ClassVar[int]
    COLOR_ADJUSTMENT_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    FLOOR_APPLIED_FIELD_NUMBER: _ClassVar[int]
    RETAINED_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    age_years: int
    base_price: int
    color_adjustment_basis_points: int
    floor_applied: bool
    retained_basis_points: int
    def __init__(self, base_price: _Optional[int] = ..., age_years: _Optional[int] = ..., retained_basis_points: _Optional[int] = ..., color_adjustment_basis_points: _Optional[int] = ..., floor_applied: bool = ...) -> None: ...

class PriceError(_message.Message):
    __slots__ = ["code", "message"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...
