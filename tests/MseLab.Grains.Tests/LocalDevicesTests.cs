using Microsoft.Extensions.Options;
using MseLab.Cluster.Silo;

namespace MseLab.Grains.Tests;

public sealed class LocalDevicesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LocalDevices Devices(params string[] devices) =>
        new(Options.Create(new WorkerOptions { Host = "h", Devices = [.. devices] }));

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
}
