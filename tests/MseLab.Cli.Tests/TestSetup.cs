using System.Runtime.CompilerServices;
using MseLab.Models.Runtime;
using MseLab.TestSupport;

// The shared tiny backbone is pretrained once, before the tests, not inside the first test that uses it.
[assembly: AssemblyFixture(typeof(TinyBackboneFixture))]

namespace MseLab.Cli.Tests;

internal static class TestSetup
{
    // Torch is process-global: load the natives once and use one intra-op thread (2-core machines).
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.SetThreads(1);
}
