using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, and OpenTelemetry.
// This project should be referenced by each service project in your solution.
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string MetricsEndpointPath = "/metrics";

    // Ours, and the libraries' own names (MassTransit's DiagnosticHeaders, Orleans src/, Npgsql).
    // Orleans' runtime source (membership pings, directory, system targets) is left out: grain calls come from "Application".
    private static readonly string[] ActivitySources = ["MseLab.*", "MassTransit", "Microsoft.Orleans.Application", "Npgsql"];
    private static readonly string[] Meters = ["MseLab.*", "MassTransit", "Microsoft.Orleans", "Npgsql"];

    // Epochs of a tiny backbone take a second, of a 7B one an hour: second-scale buckets (the SDK's default ones are for milliseconds).
    private static readonly double[] SecondsBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];

    /// <summary>Everything below, plus service discovery and resilience for outgoing HTTP (the API).</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Telemetry and health checks, for services that make no outgoing HTTP calls (the workers).</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;   // sweep, trial, attempt and device come as scopes
        });

        var otel = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrEmpty(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            otel.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName, serviceInstanceId: Environment.MachineName));
        }

        otel.WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters)
                .AddView(PrometheusFriendly)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new BackgroundNoiseSampler()))
                .AddSource(ActivitySources)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Exclude health check requests from tracing
                    aspNetCore.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                        && !context.Request.Path.StartsWithSegments(MetricsEndpointPath))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    // One view for every instrument: what Prometheus (and `promtool check metrics`) expects of an exposition. Our own
    // second-scale histograms get second-scale buckets; libraries' millisecond histograms (MassTransit, Orleans) and
    // megabyte gauges (Orleans) are dropped, since Prometheus wants base units (their counters stay; the runtime reports
    // memory in bytes); Orleans' message-size histograms lose their camelCase labels; gauges named *.count (runtime, Npgsql) are renamed,
    // since "_count" belongs to histograms; an instrument without a description gets its name as help text.
    private static MetricStreamConfiguration? PrometheusFriendly(Instrument instrument)
    {
        if (instrument.Unit == "s" && instrument.Meter.Name.StartsWith("MseLab.", StringComparison.Ordinal))
        {
            return new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets };
        }

        if (instrument.Unit is "ms" or "MB")
        {
            return MetricStreamConfiguration.Drop;
        }

        if (instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name.EndsWith("-messages-size", StringComparison.Ordinal))
        {
            return new MetricStreamConfiguration { TagKeys = [], Description = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description };   // its labels are camelCase; the sizes stay, summed
        }

        var renamed = instrument.Name.EndsWith(".count", StringComparison.Ordinal) && !IsHistogram(instrument)
            ? instrument.Name[..^".count".Length] + ".number"
            : null;
        var described = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : null;
        return renamed is null && described is null ? null : new MetricStreamConfiguration { Name = renamed, Description = described };
    }

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The Aspire dashboard (or any collector) is reached over OTLP when the AppHost, or the lab, sets the endpoint.
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Add a default liveness check to ensure app is responsive
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (every check), <c>/alive</c> (the process answers) and the Prometheus scrape at <c>/metrics</c>.
    /// Mapped in every environment, unlike the template: lab monitoring and the AppHost's health checks rely on them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);
        return app;
    }
}
