using MseLab.Grains.Placement;

namespace MseLab.Grains.Tests;

public sealed class DeviceSlotsTests
{
    [Theory]
    [InlineData("h", "cuda:0", 1, "h/cuda:0")]
    [InlineData("gpu-box-1", "cuda:1", 2, "gpu-box-1/cuda:1#2")]
    [InlineData("h", "cpu:3", 12, "h/cpu:3#12")]
    public void KeyOf_FirstSlotIsTheDevicesKey_LaterSlotsAddTheirNumber(string host, string device, int slot, string key)
    {
        Assert.Equal(key, DeviceSlots.KeyOf(host, device, slot));
        Assert.Equal(host, DeviceHostPlacement.HostOf(key));   // a slot's grain lives on its host's silo, as a device's
    }

    [Fact]
    public void KeyOf_SlotZero_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceSlots.KeyOf("h", "cuda:0", 0));

    [Theory]
    [InlineData("h/cuda:1#2", "cuda:1")]
    [InlineData("cuda:1#2", "cuda:1")]   // the device part, as the device grain hands it to the executor
    [InlineData("h/cuda:1", "cuda:1")]
    [InlineData("cuda:10", "cuda:10")]
    [InlineData("cpu:3#2", "cpu")]
    [InlineData("h/cpu:0", "cpu")]
    public void TorchDeviceOf_ASlotIsItsDevice_AndEveryCpuSlotIsTheProcessor(string slot, string torch) =>
        Assert.Equal(torch, DeviceSlots.TorchDeviceOf(slot));

    [Fact]
    public void ConfiguredDevice_CannotLookLikeASlot() =>
        Assert.Throws<FormatException>(() => DeviceSpec.Parse("cuda:0#2=80"));
}
