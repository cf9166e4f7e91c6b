using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MseLab.Grains.Tests;

public sealed class WorkerOptionsTests
{
    private static WorkerOptions Bound(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{WorkerOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
    }

    [Fact]
    public void TrialsPerDevice_DefaultsToOne_AndBindsFromTheWorkerSection()
    {
        Assert.Equal(1, Bound().TrialsPerDevice);
        Assert.Equal(4, Bound((nameof(WorkerOptions.TrialsPerDevice), "4")).TrialsPerDevice);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void TrialsPerDevice_BelowOne_IsRefusedNamingTheKey(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bound((nameof(WorkerOptions.TrialsPerDevice), value)));

        Assert.Contains($"Worker:TrialsPerDevice must be at least 1 (trials each device runs at once), not {value}.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeviceListedTwice_PointsToTrialsPerDevice()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bound(("Devices:0", "cuda:0=80"), ("Devices:1", "cuda:0=80")));

        Assert.Contains("lists a device twice; list it once, and set TrialsPerDevice", e.Message, StringComparison.Ordinal);
    }
}
