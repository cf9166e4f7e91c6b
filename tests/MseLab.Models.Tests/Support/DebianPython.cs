using System.Text.Json;
using System.Text.Json.Nodes;
using MseLab.TestSupport;

namespace MseLab.Models.Tests.Support;

/// <summary>Runs a reference script (copied next to the tests) with Debian's python3, JSON in and out.</summary>
internal static class DebianPython
{
    public static JsonNode Run(string scriptRelativePath, JsonNode request)
    {
        var stdout = ChildProcess.RunPython(scriptRelativePath, [], request.ToJsonString());
        return JsonNode.Parse(stdout) ?? throw new JsonException($"{scriptRelativePath} printed no JSON.");
    }
}
