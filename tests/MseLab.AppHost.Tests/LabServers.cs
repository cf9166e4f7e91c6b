using System.Net;
using System.Net.Sockets;
using MseLab.TestSupport;
using Npgsql;

namespace MseLab.AppHost.Tests;

/// <summary>
/// The loopback Postgres, RabbitMQ and Redis of <c>scripts/services.sh</c>, with a fresh database and vhost per test: the
/// "existing servers" the AppHost is given as connection strings. The test fails (never skips) without them.
/// </summary>
internal sealed record LabServers(string Postgres, string RabbitMq, string Redis)
{
    public static LabServers Create()
    {
        var id = "apphost" + Guid.NewGuid().ToString("N")[..10];
        var admin = Required("MSELAB_TEST_POSTGRES");
        var script = Required("MSELAB_SERVICES_SCRIPT");
        var vhost = ChildProcess.Run(script, ["vhost", id], timeout: TimeSpan.FromMinutes(2));
        if (vhost.ExitCode != 0)
        {
            throw new InvalidOperationException($"services.sh vhost {id} failed: {vhost.StandardOutput}{vhost.StandardError}");
        }

        // The migration service creates the database: that is part of what is tested.
        var postgres = new NpgsqlConnectionStringBuilder(admin) { Database = id }.ToString();
        var rabbit = new Uri(new Uri(Required("MSELAB_TEST_RABBITMQ")), id).ToString();
        return new LabServers(postgres, rabbit, Required("MSELAB_TEST_REDIS"));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>artifacts/test-results/apphost under the repository, kept after the run for a look.</summary>
    public static string ArtifactsDirectory()
    {
        var directory = Path.Combine(TestTools.RepositoryRoot, "artifacts", "test-results", "apphost");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Headless Chromium on the dashboard (tests/tools/dashboard-screenshot.mjs): screenshots PREFIX-*.png; returns what it printed.</summary>
    public static string Screenshot(string url, string prefix, IEnumerable<string> names)
    {
        var tools = TestTools.Folder;
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "playwright-core")) || !File.Exists("/usr/bin/chromium"))
        {
            throw new InvalidOperationException("The dashboard check needs Debian's chromium and playwright-core: `apt-get install chromium` and `npm install --prefix tests/tools` (scripts/test.sh does both).");
        }

        var run = ChildProcess.Run("node", [Path.Combine(tools, "dashboard-screenshot.mjs"), url, prefix, .. names], timeout: TimeSpan.FromMinutes(7), workingDirectory: tools);
        return run.ExitCode == 0
            ? run.StandardOutput
            : throw new InvalidOperationException($"dashboard screenshot failed ({run.ExitCode}): {run.StandardError.Trim()}\n--- what the pages showed:\n{run.StandardOutput}");
    }


    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: the AppHost tests need the lab services. Run `scripts/services.sh start` and `eval \"$(scripts/services.sh env)\"` (scripts/test.sh does both).");
}
