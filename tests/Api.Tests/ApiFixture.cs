using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>One silo process and the Api process on a fresh database, shared by the HTTP tests.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public ProductStack Stack { get; private set; } = null!;

    public PostgresDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        Stack = await ProductStack.StartAsync(_database);
    }

    public ApiClient Anonymous() => new(Stack.CreateClient());

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
