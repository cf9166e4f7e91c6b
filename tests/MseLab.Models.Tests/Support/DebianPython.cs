using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MseLab.Models.Tests.Support;

/// <summary>Runs a reference script (copied next to the tests) with Debian's python3, JSON in and out.</summary>
internal static class DebianPython
{
    private const string Interpreter = "/usr/bin/python3";

    public static JsonNode Run(string scriptRelativePath, JsonNode request)
    {
        var script = Path.Combine(AppContext.BaseDirectory, scriptRelativePath);
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing; the reference tests need Debian's python3.");
        Assert.True(File.Exists(script), $"Reference script {script} was not copied to the test output.");

        var start = new ProcessStartInfo(Interpreter, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"{scriptRelativePath} did not finish in 30 s.");
        Assert.True(process.ExitCode == 0, $"{scriptRelativePath} failed ({process.ExitCode}): {stderr.Result}");
        return JsonNode.Parse(stdout) ?? throw new JsonException($"{scriptRelativePath} printed no JSON.");
    }
}
