using System.Net;
using AgenteVendedor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace AgenteVendedor.Api.Tests;

/// <summary>Two real silo processes and the Api; the silo hosting empresa grains is killed with SIGKILL.</summary>
public sealed class SiloFailoverTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private IHost _observer = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 2, ProductStack.FastFailover);
        // A client of the cluster of our own, only to ask the management grain where activations live.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_database.Name, _database.Name));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", _database.ConnectionString));
        });
        _observer = builder.Build();
        await _observer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _observer.StopAsync();
        _observer.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The silo port hosting each empresa's EmpresaGrain activation.</summary>
    private async Task<Dictionary<Guid, int>> EmpresaGrainHostsAsync(IEnumerable<Guid> empresas)
    {
        var statistics = await _observer.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var hosts = new Dictionary<Guid, int>();
        foreach (var empresa in empresas)
        {
            var found = statistics.Where(s => s.GrainType.Contains("EmpresaGrain", StringComparison.Ordinal)
                && s.GrainId.Key.ToString() is var key && (key == empresa.ToString("N") || key == empresa.ToString())).ToList();
            if (found is [var single])
            {
                hosts[empresa] = single.SiloAddress.Endpoint.Port;
            }
        }

        return hosts;
    }

    [Fact]
    public async Task Killing_a_silo_leaves_the_api_serving_and_the_data_intact()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        // Several empresas, so their grains are spread over both silos.
        var tenants = new List<(Tenant Tenant, string SellerEmail)>();
        for (var i = 0; i < 6; i++)
        {
            var tenant = await anonymous.RegisterAsync($"Ferretería {i}");
            var (_, _, sellerEmail) = await anonymous.AddUserAsync(tenant, "vendedor");
            Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/empresa", new { nombre_agente = $"Agente {i}" })).Status);
            tenants.Add((tenant, sellerEmail));
        }

        // Kill the silo that hosts the most of these empresas' grains: the test is about them moving.
        var before = await EmpresaGrainHostsAsync(tenants.Select(t => t.Tenant.EmpresaId));
        Assert.Equal(tenants.Count, before.Count);
        var victim = _stack.Silos.MaxBy(s => before.Values.Count(port => port == _stack.SiloPortOf(s)))!;
        var survivor = _stack.Silos.Single(s => s != victim);
        var moved = before.Where(h => h.Value == _stack.SiloPortOf(victim)).Select(h => h.Key).ToHashSet();
        Assert.NotEmpty(moved);
        victim.Kill();
        await _stack.WaitUntilReadyAsync(activeSilos: 1, TimeSpan.FromSeconds(60));

        for (var i = 0; i < tenants.Count; i++)
        {
            var (tenant, sellerEmail) = tenants[i];
            var empresa = await ApiClient.RetryWhileUnavailableAsync(() => tenant.Admin.GetAsync("/empresa"));
            Assert.Equal($"Agente {i}", empresa.Json["nombre_agente"]!.GetValue<string>());
            var users = await ApiClient.RetryWhileUnavailableAsync(() => tenant.Admin.GetAsync("/usuarios"));
            Assert.Contains(sellerEmail, users.Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await ApiClient.RetryWhileUnavailableAsync(() => anonymous.PostAsync("/auth/login",
                new { email = sellerEmail, password = ApiClient.Password }))).Status);
            Assert.Equal(HttpStatusCode.OK, (await ApiClient.RetryWhileUnavailableAsync(() => tenant.Admin.PutAsync("/empresa", new { tono = "formal" }))).Status);
            Assert.Equal("formal", (await tenant.Admin.GetAsync("/empresa")).Json["tono"]!.GetValue<string>());
        }

        // Every empresa grain of the dead silo was activated again on the survivor, from its stored state.
        var after = await EmpresaGrainHostsAsync(moved);
        Assert.Equal(moved.Order(), after.Keys.Order());
        Assert.All(after.Values, port => Assert.Equal(_stack.SiloPortOf(survivor), port));
    }
}
