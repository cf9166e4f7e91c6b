using MseLab.Grains.Tests.Infrastructure;

namespace MseLab.Grains.Tests;

/// <summary>A device grain lives on the silo named after its key's host, and nowhere else.</summary>
public sealed class DeviceHostPlacementTests(GrainClusterFixture fixture)
{
    [Theory(Timeout = Wait.TestMilliseconds)]
    [InlineData(GrainClusterFixture.HostA)]
    [InlineData(GrainClusterFixture.HostB)]
    public async Task DeviceGrain_KeyedByHost_ActivatesAndRunsOnThatHostsSilo(string host)
    {
        var token = TestContext.Current.CancellationToken;
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var names = (await management.GetDetailedHosts(onlyActive: true, token)).ToDictionary(m => m.SiloAddress, m => m.SiloName);
        Assert.Equal([GrainClusterFixture.HostA, GrainClusterFixture.HostB], names.Values.Order(StringComparer.Ordinal));

        // Several devices: a random placement would land them all on the right silo with chance 1/8.
        for (var i = 0; i < 3; i++)
        {
            var device = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(host));
            await device.GetStatusAsync();

            var silo = await management.GetActivationAddress(device, token);

            Assert.NotNull(silo);
            Assert.Equal(host, names[silo]);
        }

        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        await fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(host)).RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        Assert.Equal(host, await Wait.ForAsync(fixture.Scripts.For(keys[0]).Started, "the trial to run"));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task DeviceGrain_HostWithNoSilo_CallFailsNamingTheHost()
    {
        var token = TestContext.Current.CancellationToken;
        var device = fixture.Grains.GetGrain<IDeviceWorkerGrain>("host-c/cpu:0");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => device.GetStatusAsync().WaitAsync(token));

        Assert.Contains("No silo named 'host-c'", error.Message, StringComparison.Ordinal);
    }
}
