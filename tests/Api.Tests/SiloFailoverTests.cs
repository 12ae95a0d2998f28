using System.Net;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>Two real silo processes and the Api; one silo is killed with SIGKILL.</summary>
public sealed class SiloFailoverTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 2, ProductStack.FastFailover);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
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

        _stack.Silos[0].Kill();
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
        }
    }

}
