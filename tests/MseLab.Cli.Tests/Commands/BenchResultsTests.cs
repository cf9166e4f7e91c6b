using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;
using Npgsql;

namespace MseLab.Cli.Tests.Commands;

/// <summary>
/// A smoke run of <c>mselab bench results</c> with 300 trials on SQLite and on the test Postgres server (the 100k figures
/// are the benchmark's, not a test's): every query is timed, the leaderboards have the expected groups, and the bench
/// leaves no database behind.
/// </summary>
public sealed class BenchResultsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BenchResults_SmallStoreOnBothProviders_TimesEveryQueryAndCleansUp()
    {
        var postgres = Environment.GetEnvironmentVariable("MSELAB_TEST_POSTGRES");
        Assert.False(string.IsNullOrWhiteSpace(postgres), "MSELAB_TEST_POSTGRES is not set: run `eval \"$(scripts/services.sh env)\"` first.");
        var folder = Directory.CreateTempSubdirectory("mselab-bench-results-test-").FullName;
        try
        {
            // The Postgres server comes from a profile's Store section, as on a lab cluster.
            var profile = Path.Combine(folder, "profile.json");
            await File.WriteAllTextAsync(profile, JsonSerializer.Serialize(new { Store = new { Provider = "postgres", ConnectionString = postgres } }), Ct);
            var before = await BenchDatabasesAsync(postgres!);

            var result = ChildProcess.Run(
                ProcessRunner.MselabPath, ["bench", "results", "--trials", "300", "--repeats", "3", "--warmup", "2", "--provider", "both", "--cluster", profile, "--json"],
                timeout: TimeSpan.FromMinutes(5));

            Assert.True(result.ExitCode == 0, result.StandardError);
            using var json = JsonDocument.Parse(result.StandardOutput);
            var providers = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(["sqlite", "postgres"], providers.Select(p => p.GetProperty("provider").GetString()));
            foreach (var p in providers)
            {
                Assert.Equal(300, p.GetProperty("trials").GetInt32());
                Assert.InRange(p.GetProperty("test_metric_rows").GetInt64(), 1700, 2100);   // ~95% of 300 finished, 7 metrics each on average
                Assert.InRange(p.GetProperty("epoch_rows").GetInt64(), 2600, 3000);   // 10 per finished trial, fewer per failed one
                var queries = p.GetProperty("queries").EnumerateArray().ToList();
                Assert.Equal(5, queries.Count);
                foreach (var q in queries)
                {
                    Assert.Equal(3, q.GetProperty("runs").GetInt32());
                    var (p50, p95, max) = (q.GetProperty("p50_ms").GetDouble(), q.GetProperty("p95_ms").GetDouble(), q.GetProperty("max_ms").GetDouble());
                    Assert.True(p50 > 0 && p50 <= p95 && p95 <= max, $"{q.GetProperty("query")}: p50 {p50}, p95 {p95}, max {max}");
                    Assert.Equal(p95 / 200, q.GetProperty("p95_vs_target").GetDouble(), 9);
                    Assert.True(q.GetProperty("first_ms").GetDouble() > 0, $"{q.GetProperty("query")}: no first run");
                }

                // 300 trials = 60 seed groups of 5 seeds; by batch size, 2 groups.
                Assert.Equal(60, queries[0].GetProperty("rows").GetInt32());
                Assert.Equal(2, queries[3].GetProperty("rows").GetInt32());
            }

            Assert.Equal(before, await BenchDatabasesAsync(postgres!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<string>> BenchDatabasesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'mselab_bench_%' ORDER BY datname", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
