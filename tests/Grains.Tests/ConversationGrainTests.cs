using AgenteVendedor.Catalog;
using AgenteVendedor.Conversations;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ConversationGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task The_session_survives_deactivation_and_a_handoff_silences_the_agent()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var csv = await File.ReadAllBytesAsync(Repository.EvalFile("ferreteria.csv"));
        Assert.NotNull((await _grains.GetGrain<ITenantGrain>(admin.EmpresaId).ImportCatalogAsync(admin.AsAdmin(), new ImportRequest(ImportMode.Replace, csv))).Summary);
        var key = ConversationKey.For(admin.EmpresaId, "api", Guid.NewGuid().ToString("N"));
        Assert.False(await _grains.GetGrain<IConversationGrain>(key).ExistsAsync());

        var added = Scenario.Ok(await _grains.GetGrain<IConversationGrain>(key).HandleInboundAsync(new ChatTurn("quiero un martillo", admin.AsAdmin())));
        Assert.Equal("FER-005", Assert.Single(added.Cart.Items).Sku);

        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var cart = Scenario.Ok(await _grains.GetGrain<IConversationGrain>(key).HandleInboundAsync(new ChatTurn("qué llevo en el carrito", admin.AsAdmin())));
        Assert.Contains("Martillo de uña 16 oz", cart.Text, StringComparison.Ordinal);
        Assert.True(await _grains.GetGrain<IConversationGrain>(key).ExistsAsync());

        var handoff = Scenario.Ok(await _grains.GetGrain<IConversationGrain>(key).HandleInboundAsync(new ChatTurn("quiero hablar con un asesor", admin.AsAdmin())));
        Assert.Contains("asesor", handoff.Text, StringComparison.Ordinal);
        var silent = Scenario.Ok(await _grains.GetGrain<IConversationGrain>(key).HandleInboundAsync(new ChatTurn("¿hola?", admin.AsAdmin())));
        Assert.Equal(string.Empty, silent.Text);
    }
}
