using Microsoft.Extensions.Options;
using MseLab.Cluster.Silo;

namespace MseLab.Grains.Tests;

public sealed class LocalDevicesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LocalDevices Devices(params string[] devices) => Slots(1, devices);

    private static LocalDevices Slots(int trialsPerDevice, params string[] devices) =>
        new(Options.Create(new WorkerOptions { Host = "h", Devices = [.. devices], TrialsPerDevice = trialsPerDevice }));

    [Fact]
    public async Task Acquire_SmallestFreeDeviceThatFits_AndNoneWhenAllAreTaken()
    {
        var devices = Devices("cuda:0=80", "cuda:1=24", "cpu:0");

        Assert.Equal("h/cuda:1", await devices.AcquireAsync("cuda", 16, TimeSpan.Zero, Ct));
        Assert.Equal("h/cuda:0", await devices.AcquireAsync("cuda", 16, TimeSpan.Zero, Ct));
        Assert.Null(await devices.AcquireAsync("cuda", 16, TimeSpan.FromMilliseconds(10), Ct));
        Assert.Equal("h/cpu:0", await devices.AcquireAsync("cpu", 0, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Release_GoesToTheLongestWaiterItFits()
    {
        var devices = Devices("cpu:0");
        var held = await devices.AcquireAsync("cpu", 0, TimeSpan.Zero, Ct);
        var first = devices.AcquireAsync("cpu", 0, TimeSpan.FromSeconds(30), Ct);
        var second = devices.AcquireAsync("cpu", 0, TimeSpan.FromSeconds(30), Ct);

        devices.Release(held!);

        Assert.Equal("h/cpu:0", await first);
        Assert.False(second.IsCompleted);
        devices.Release("h/cpu:0");
        Assert.Equal("h/cpu:0", await second);
    }

    [Fact]
    public async Task Release_AsAWaiterGivesUp_NeverLosesTheDevice()
    {
        // A release and a waiter's timeout at the same moment: the device ends up either with the waiter or free, never
        // in neither place (which would leave the worker short of a device for good).
        var devices = Devices("cpu:0");
        for (var round = 0; round < 500; round++)
        {
            var held = await devices.AcquireAsync("cpu", 0, TimeSpan.Zero, Ct);
            Assert.NotNull(held);
            var waiter = devices.AcquireAsync("cpu", 0, TimeSpan.FromMilliseconds(1), Ct);
            await Task.Delay(round % 3, Ct);
            devices.Release(held);
            if (await waiter is { } got)
            {
                devices.Release(got);
            }
        }

        Assert.Equal("h/cpu:0", await devices.AcquireAsync("cpu", 0, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Slots_EachDeviceRunsNTrialsAtOnce_FirstSlotsOfEveryDeviceBeforeSecondOnes()
    {
        var devices = Slots(3, "cuda:0=80", "cuda:1=80", "cuda:2=24");

        // Eight acquisitions at once from the thread pool: every slot goes to exactly one of them.
        var acquired = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => devices.AcquireAsync("cuda", 16, TimeSpan.Zero, Ct), Ct)));

        Assert.All(acquired, Assert.NotNull);
        Assert.Equal(8, acquired.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("h/cuda:1#3", await devices.AcquireAsync("cuda", 60, TimeSpan.Zero, Ct));   // 9 slots: the 24 GB ones went first
        Assert.Null(await devices.AcquireAsync("cuda", 16, TimeSpan.FromMilliseconds(10), Ct));

        // One at a time: the smaller device's slots, then the first slot of each large device before any second one.
        var sequential = Slots(2, "cuda:0=80", "cuda:1=80", "cuda:2=24");
        var order = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            order.Add(await sequential.AcquireAsync("cuda", 16, TimeSpan.Zero, Ct));
        }

        Assert.Equal(["h/cuda:2", "h/cuda:2#2", "h/cuda:0", "h/cuda:1", "h/cuda:0#2", "h/cuda:1#2"], order);
    }

    [Fact]
    public async Task Slots_AreReleasedAndHandedToWaitersLikeDevices()
    {
        var devices = Slots(2, "cuda:0=80");
        var first = await devices.AcquireAsync("cuda", 40, TimeSpan.Zero, Ct);
        var second = await devices.AcquireAsync("cuda", 40, TimeSpan.Zero, Ct);
        Assert.Equal(["h/cuda:0", "h/cuda:0#2"], [first, second]);
        var waiter = devices.AcquireAsync("cuda", 40, TimeSpan.FromSeconds(30), Ct);
        Assert.False(waiter.IsCompleted);

        devices.Release(second!);

        Assert.Equal("h/cuda:0#2", await waiter);
        devices.Release(first!);
        Assert.Equal("h/cuda:0", await devices.AcquireAsync("cuda", 40, TimeSpan.Zero, Ct));
        Assert.Null(await devices.AcquireAsync("cuda", 40, TimeSpan.FromMilliseconds(10), Ct));
    }

    [Fact]
    public void Slots_EachAdvertisesTheWholeDevice_AndOneSlotKeepsTodaysKeys()
    {
        var devices = Slots(2, "cuda:0=80", "cpu:0=16");

        Assert.Equal(
            [("h/cpu:0", "cpu", 16.0), ("h/cpu:0#2", "cpu", 16.0), ("h/cuda:0", "cuda", 80.0), ("h/cuda:0#2", "cuda", 80.0)],
            devices.All.Select(d => (d.Key, d.Spec.Kind, d.Spec.MemoryGb)).OrderBy(d => d.Key, StringComparer.Ordinal));
        Assert.False(devices.CanFit("cuda", 81));   // the device's memory, not the sum of its slots
        Assert.Equal(["h/cuda:0", "h/cuda:1"], Devices("cuda:0=80", "cuda:1=80").All.Select(d => d.Key));
    }
}
