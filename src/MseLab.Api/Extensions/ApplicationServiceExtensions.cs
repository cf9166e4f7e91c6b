using System.Text.Json.Serialization;

namespace MseLab.Api.Extensions;

internal static class ApplicationServiceExtensions
{
    /// <summary>
    /// A client of the lab cluster. Under the AppHost the servers come as connection strings; outside it, from a profile
    /// file (<c>--Profile lab.json</c> or <c>MSELAB_PROFILE</c>) or <c>Cluster__*</c>/<c>Store__*</c> variables.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        if ((builder.Configuration["Profile"] ?? Environment.GetEnvironmentVariable("MSELAB_PROFILE")) is { Length: > 0 } profile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(profile), optional: false);
        }

        builder.AddMseLabClient();
        builder.AddApiAuth();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());   // "Running", not 1
            // A diverged cell's metric is NaN: written as "NaN" rather than failing the whole response.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
    }
}
