using MseLab.Grains.Placement;
using MseLab.Grains.Tests.Infrastructure;

namespace MseLab.Grains.Tests;

/// <summary>The slots of a device: their keys, their torch device, and their grains running trials side by side.</summary>
public sealed class DeviceSlotsTests(GrainClusterFixture fixture)
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

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task TwoSlotsOfOneDevice_RunTwoTrialsAtOnce_OnTheDevicesHost_StoredUnderTheirSlotKeys()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 2, token);
        var device = DeviceHostPlacement.DeviceOf(fixture.NewDevice(GrainClusterFixture.HostB));
        var slots = new[] { DeviceSlots.KeyOf(GrainClusterFixture.HostB, device, 1), DeviceSlots.KeyOf(GrainClusterFixture.HostB, device, 2) };
        var scripts = keys.Select(fixture.Scripts.For).ToList();
        scripts.ForEach(s => s.Blocks = true);

        var runs = keys.Select((key, i) => fixture.Grains.GetGrain<IDeviceWorkerGrain>(slots[i]).RunTrialAsync(new TrialAssignment(sweepId, key, 1))).ToList();

        // Both run before either ends: neither slot waits for the other.
        Assert.Equal(
            [GrainClusterFixture.HostB, GrainClusterFixture.HostB],
            await Task.WhenAll(scripts.Select(s => Wait.ForAsync(s.Started, "both trials to start"))));
        var running = await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token);
        Assert.Equal(slots, keys.Select(k => running.Single(t => t.Key == k).Device));
        scripts.ForEach(s => s.Release());
        await Wait.ForAsync(Task.WhenAll(runs), "both trials to end");
    }
}
