using MseLab.TestSupport;

namespace MseLab.Cluster.Tests.Infrastructure;

/// <summary>The loopback Postgres, RabbitMQ and Redis that <c>scripts/services.sh</c> starts; the tests fail (never skip) without them.</summary>
internal static class LabServices
{
    public static string Postgres => Required("MSELAB_TEST_POSTGRES");

    public static string RabbitMq => Required("MSELAB_TEST_RABBITMQ");

    public static string Redis => Required("MSELAB_TEST_REDIS");

    public static string Script => Required("MSELAB_SERVICES_SCRIPT");

    /// <summary>Postgres at its address on the lab network (<c>scripts/services.sh start</c> as root), as workers on lab hosts reach it.</summary>
    public static string NetPostgres => Required("MSELAB_NET_POSTGRES");

    /// <summary>RabbitMQ at its address on the lab network.</summary>
    public static string NetRabbitMq => Required("MSELAB_NET_RABBITMQ");

    /// <summary>Redis at its address on the lab network.</summary>
    public static string NetRedis => Required("MSELAB_NET_REDIS");

    /// <summary>The broker's delivery-acknowledgement timeout as the script configured it (ms), or null when left at RabbitMQ's default.</summary>
    public static int? ConsumerTimeoutMs =>
        int.TryParse(Environment.GetEnvironmentVariable("MSELAB_MQ_CONSUMER_TIMEOUT_MS"), out var ms) ? ms : null;

    /// <summary>Runs <c>services.sh</c> (start, stop, vhost) and fails the test if it fails.</summary>
    public static void Run(params string[] args)
    {
        var result = ChildProcess.Run(Script, args, timeout: TimeSpan.FromMinutes(3));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"services.sh {string.Join(' ', args)} failed ({result.ExitCode}): {result.StandardOutput}{result.StandardError}");
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: the cluster tests need the lab services. Run `scripts/services.sh start` and `eval \"$(scripts/services.sh env)\"` (scripts/test.sh does both); the MSELAB_NET_ addresses of the multi-host tests need `start` as root.");
}
