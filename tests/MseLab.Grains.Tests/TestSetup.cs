using MseLab.Grains.Tests.Infrastructure;

// One cluster for the assembly: starting silos costs seconds, fresh keys keep the tests apart.
[assembly: AssemblyFixture(typeof(GrainClusterFixture))]
