using AgenteVendedor.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace AgenteVendedor.Grains.Tests;

/// <summary>Two in-process silos wired exactly as the Silo host wires them, on a fresh PostgreSQL database.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public PostgresDatabase Database => _database!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The production work factor is covered by the hasher's own test; here it would only slow every sign-in.
            ["Security:PasswordIterations"] = "10000",
            ["Reminders:MinimumReminderPeriod"] = "00:00:01",
        }).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddAgenteVendedor(_database.ConnectionString, settings));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
