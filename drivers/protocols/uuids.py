"""The one table of Bluetooth SIG UUIDs RunningRoom uses.

16-bit assigned numbers expand to ``0000xxxx-0000-1000-8000-00805f9b34fb``. Note the
classic mistake (seen in a public library): Training Status is 0x2AD3, Fitness Machine
Status is 0x2ADA.
"""

from __future__ import annotations

from typing import Final

_BASE_SUFFIX: Final = "-0000-1000-8000-00805f9b34fb"


def uuid16(short: int) -> str:
    """Expand a 16-bit assigned number to the full lower-case 128-bit UUID string."""
    if not 0 <= short <= 0xFFFF:
        raise ValueError(f"not a 16-bit UUID: {short:#x}")
    return f"0000{short:04x}{_BASE_SUFFIX}"


def short_uuid(uuid: str) -> int | None:
    """Return the 16-bit number of a SIG-base UUID, or ``None`` for a vendor UUID."""
    text = uuid.strip().lower()
    if len(text) == 4:
        try:
            return int(text, 16)
        except ValueError:
            return None
    if len(text) == 36 and text.startswith("0000") and text.endswith(_BASE_SUFFIX):
        try:
            return int(text[4:8], 16)
        except ValueError:
            return None
    return None


# Services
FITNESS_MACHINE_SERVICE: Final = uuid16(0x1826)
HEART_RATE_SERVICE: Final = uuid16(0x180D)
BATTERY_SERVICE: Final = uuid16(0x180F)
DEVICE_INFORMATION_SERVICE: Final = uuid16(0x180A)

# Fitness Machine characteristics
FITNESS_MACHINE_FEATURE: Final = uuid16(0x2ACC)
TREADMILL_DATA: Final = uuid16(0x2ACD)
TRAINING_STATUS: Final = uuid16(0x2AD3)
SUPPORTED_SPEED_RANGE: Final = uuid16(0x2AD4)
SUPPORTED_INCLINATION_RANGE: Final = uuid16(0x2AD5)
SUPPORTED_RESISTANCE_RANGE: Final = uuid16(0x2AD6)
SUPPORTED_HEART_RATE_RANGE: Final = uuid16(0x2AD7)
SUPPORTED_POWER_RANGE: Final = uuid16(0x2AD8)
FITNESS_MACHINE_CONTROL_POINT: Final = uuid16(0x2AD9)
FITNESS_MACHINE_STATUS: Final = uuid16(0x2ADA)

# Heart Rate characteristics
HEART_RATE_MEASUREMENT: Final = uuid16(0x2A37)
BODY_SENSOR_LOCATION: Final = uuid16(0x2A38)
HEART_RATE_CONTROL_POINT: Final = uuid16(0x2A39)

# Others
BATTERY_LEVEL: Final = uuid16(0x2A19)
MANUFACTURER_NAME: Final = uuid16(0x2A29)
MODEL_NUMBER: Final = uuid16(0x2A24)
CLIENT_CHARACTERISTIC_CONFIGURATION: Final = uuid16(0x2902)

#: Human-readable names, keyed by full UUID.
NAMES: Final[dict[str, str]] = {
    FITNESS_MACHINE_SERVICE: "Fitness Machine",
    HEART_RATE_SERVICE: "Heart Rate",
    BATTERY_SERVICE: "Battery",
    DEVICE_INFORMATION_SERVICE: "Device Information",
    FITNESS_MACHINE_FEATURE: "Fitness Machine Feature",
    TREADMILL_DATA: "Treadmill Data",
    TRAINING_STATUS: "Training Status",
    SUPPORTED_SPEED_RANGE: "Supported Speed Range",
    SUPPORTED_INCLINATION_RANGE: "Supported Inclination Range",
    SUPPORTED_RESISTANCE_RANGE: "Supported Resistance Level Range",
    SUPPORTED_HEART_RATE_RANGE: "Supported Heart Rate Range",
    SUPPORTED_POWER_RANGE: "Supported Power Range",
    FITNESS_MACHINE_CONTROL_POINT: "Fitness Machine Control Point",
    FITNESS_MACHINE_STATUS: "Fitness Machine Status",
    HEART_RATE_MEASUREMENT: "Heart Rate Measurement",
    BODY_SENSOR_LOCATION: "Body Sensor Location",
    HEART_RATE_CONTROL_POINT: "Heart Rate Control Point",
    BATTERY_LEVEL: "Battery Level",
    MANUFACTURER_NAME: "Manufacturer Name String",
    MODEL_NUMBER: "Model Number String",
    CLIENT_CHARACTERISTIC_CONFIGURATION: "Client Characteristic Configuration",
}
