using System.Runtime.CompilerServices;
using MseLab.Models.Runtime;
using MseLab.TestSupport;

// The shared tiny backbone is pretrained once, before the tests, not inside the first test that uses it.
[assembly: AssemblyFixture(typeof(TinyBackboneFixture))]

namespace MseLab.Cluster.Tests;

internal static class TestSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.SetThreads(1);
}
