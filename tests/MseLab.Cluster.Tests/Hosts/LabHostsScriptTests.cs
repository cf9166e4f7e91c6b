using MseLab.TestSupport;

namespace MseLab.Cluster.Tests.Hosts;

/// <summary><c>scripts/lab-hosts.sh</c> (over <c>mselab bench hosts</c>): hosts a developer makes by hand, changed and removed.</summary>
public sealed class LabHostsScriptTests
{
    // An owner of this test's own, so that a developer's `dev` hosts are left alone.
    private readonly string _owner = "s" + Guid.NewGuid().ToString("N")[..5];

    [Fact]
    public void Script_UpListCutHealBlockExecDown_ChangesOnlyItsHostsAndLeavesNothingBehind()
    {
        var up = Script("up", "2");
        Assert.True(up.ExitCode == 0, up.StandardOutput + up.StandardError);
        try
        {
            var made = Lines(up).Select(line => line.Split('\t')).ToList();
            Assert.Equal([("1", $"mselab-{_owner}-h1"), ("2", $"mselab-{_owner}-h2")], made.Select(h => (h[0], h[1])));
            Assert.All(made, h => Assert.StartsWith("10.231.", h[2], StringComparison.Ordinal));
            var address = made[1][2];   // host 2's
            Assert.Equal([$"1\tmselab-{_owner}-h1\t{made[0][2]}\tup", $"2\tmselab-{_owner}-h2\t{address}\tup"], Lines(Script("list")));

            Assert.Equal(0, Script("cut", "1").ExitCode);
            Assert.DoesNotContain(",UP", Script("exec", "1", "ip", "-o", "link", "show", "eth0").StandardOutput, StringComparison.Ordinal);
            Assert.EndsWith("\tcut", Lines(Script("list"))[0], StringComparison.Ordinal);
            Assert.EndsWith("\tup", Lines(Script("list"))[1], StringComparison.Ordinal);
            Assert.Equal(0, Script("heal", "1").ExitCode);
            Assert.Contains(",UP", Script("exec", "1", "ip", "-o", "link", "show", "eth0").StandardOutput, StringComparison.Ordinal);

            Assert.Equal(0, Script("block", "2", "postgres").ExitCode);
            Assert.EndsWith("\tup\tblocked: postgres", Lines(Script("list"))[1], StringComparison.Ordinal);
            Assert.Equal(0, Script("unblock", "2", "postgres").ExitCode);
            Assert.EndsWith("\tup", Lines(Script("list"))[1], StringComparison.Ordinal);

            // exec runs on the host (its own address), words as given, and its exit code comes back.
            Assert.Contains($"inet {address}/16", Script("exec", "2", "ip", "-o", "-4", "addr", "show", "dev", "eth0").StandardOutput, StringComparison.Ordinal);
            Assert.Equal("a --b c d $HOME\n", Script("exec", "2", "echo", "a", "--b", "c d", "$HOME").StandardOutput);
            Assert.Equal(3, Script("exec", "2", "sh", "-c", "exit 3").ExitCode);

            var wrong = Script("block", "2", "mysql");
            Assert.Equal(2, wrong.ExitCode);
            Assert.Contains("give postgres, rabbitmq or redis", wrong.StandardOutput + wrong.StandardError, StringComparison.Ordinal);
            var missing = Script("cut", "7");
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("has no host 7", missing.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal($"removed 2 host(s) of owner '{_owner}'\n", Script("down").StandardOutput);
        }

        Assert.DoesNotContain(ChildProcess.Run("ip", ["netns", "list"]).StandardOutput.Split('\n'), n => n.StartsWith($"mselab-{_owner}-", StringComparison.Ordinal));
        Assert.DoesNotContain($"mlb{_owner}", ChildProcess.Run("ip", ["-o", "link", "show"]).StandardOutput, StringComparison.Ordinal);
        Assert.Equal($"no lab hosts of owner '{_owner}'\n", Script("list").StandardOutput);
    }

    private ProcessResult Script(params string[] args) => ChildProcess.Run(
        "/usr/bin/env",
        [$"MSELAB_LAB_HOSTS_OWNER={_owner}", $"MSELAB_CLI={Path.Combine(AppContext.BaseDirectory, "mselab")}", Path.Combine(TestTools.RepositoryRoot, "scripts", "lab-hosts.sh"), .. args],
        timeout: TimeSpan.FromMinutes(1));

    private static List<string> Lines(ProcessResult result) => [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
