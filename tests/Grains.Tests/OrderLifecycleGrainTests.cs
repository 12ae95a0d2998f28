using AgenteVendedor.Catalog;
using AgenteVendedor.Common;
using AgenteVendedor.Sales;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OrderLifecycleGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Reports_count_confirmed_orders_and_the_steps_after_it_but_not_pending_or_annulled_ones()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var actor = admin.AsAdmin();
        var tenant = _grains.GetGrain<ITenantGrain>(admin.EmpresaId);
        var ledger = _grains.GetGrain<ISalesLedgerGrain>(admin.EmpresaId);
        var hammer = Scenario.Ok(await tenant.SaveProductAsync(actor, null, new ProductInput("M-1", "Martillo", "", 30000m, 100, "H", true)));
        var saw = Scenario.Ok(await tenant.SaveProductAsync(actor, null, new ProductInput("S-1", "Serrucho", "", 50000m, 100, "H", true)));
        OrderRequest Order(Product product, int quantity, bool pending = false) =>
            new(null, [new OrderLine(product.Id, quantity)], "whatsapp", null, StartsPending: pending);

        var pending = Scenario.Ok(await tenant.PlaceOrderAsync(actor, Order(saw, 7, pending: true)));
        var confirmed = Scenario.Ok(await tenant.PlaceOrderAsync(actor, Order(hammer, 1)));
        var preparing = Scenario.Ok(await tenant.PlaceOrderAsync(actor, Order(hammer, 2)));
        var delivered = Scenario.Ok(await tenant.PlaceOrderAsync(actor, Order(hammer, 3)));
        var annulled = Scenario.Ok(await tenant.PlaceOrderAsync(actor, Order(saw, 4)));
        Assert.Equal(OrderStatus.Pending, pending.Status);
        Assert.Equal([new OrderStatusChange(null, OrderStatus.Pending, admin.UserId, null, pending.CreatedAt)], pending.History);
        Assert.Equal([OrderStatus.Confirmed, OrderStatus.Annulled], pending.NextStatuses);
        Scenario.Ok(await tenant.ChangeOrderStatusAsync(actor, preparing.Id, OrderStatus.Preparing, null));
        foreach (var step in new[] { OrderStatus.Shipped, OrderStatus.Delivered })
        {
            Scenario.Ok(await tenant.ChangeOrderStatusAsync(actor, delivered.Id, step, null));
        }

        Scenario.Ok(await tenant.ChangeOrderStatusAsync(actor, annulled.Id, OrderStatus.Annulled, null));
        // The pending order's units are held; the annulled one's came back.
        Assert.Equal(93, (await tenant.GetProductAsync(saw.Id))!.Stock);

        var summary = await ledger.SummarizeAsync(new Period(), 10);
        Assert.Equal(3, summary.Orders);
        Assert.Equal(30000m * 6, summary.Revenue);
        Assert.Equal([("M-1", 6L)], summary.TopProducts.Select(t => (t.Sku, t.Quantity)));
        Assert.Equal(3, summary.PerDay.Sum(d => d.Orders));

        // Once staff confirm it, the pending order is a sale like the others.
        Scenario.Ok(await tenant.ChangeOrderStatusAsync(actor, pending.Id, OrderStatus.Confirmed, "Confirmado por teléfono"));
        var after = await ledger.SummarizeAsync(new Period(), 10);
        Assert.Equal((4, 30000m * 6 + 50000m * 7), (after.Orders, after.Revenue));
        Assert.Equal(["S-1", "M-1"], after.TopProducts.Select(t => t.Sku));
    }

    [Fact]
    public async Task Only_an_admin_annuls_and_a_changed_setting_reaches_the_profile()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var tenant = _grains.GetGrain<ITenantGrain>(admin.EmpresaId);
        var product = Scenario.Ok(await tenant.SaveProductAsync(admin.AsAdmin(), null, new ProductInput("B-1", "Brocha", "", 6900m, 10, "P", true)));
        var order = Scenario.Ok(await tenant.PlaceOrderAsync(admin.AsAdmin(), new OrderRequest(null, [new OrderLine(product.Id, 2)], "api", null)));
        var seller = new Actor(Guid.NewGuid(), Roles.Seller);

        Assert.Equal(ProblemKind.Forbidden, (await tenant.ChangeOrderStatusAsync(seller, order.Id, OrderStatus.Annulled, null)).Problem?.Kind);
        Assert.Equal(ProblemKind.Forbidden, (await tenant.AnnulOrderAsync(seller, order.Id)).Problem?.Kind);
        Assert.Equal(ProblemKind.Validation, (await tenant.ChangeOrderStatusAsync(seller, order.Id, "perdida", null)).Problem?.Kind);
        Assert.Equal(ProblemKind.NotFound, (await tenant.ChangeOrderStatusAsync(seller, Guid.NewGuid(), OrderStatus.Shipped, null)).Problem?.Kind);
        Assert.Equal(8, (await tenant.GetProductAsync(product.Id))!.Stock);
        var shipped = Scenario.Ok(await tenant.ChangeOrderStatusAsync(seller, order.Id, OrderStatus.Shipped, null));
        Assert.Equal(seller.UserId, shipped.History[^1].UserId);

        var empresa = _grains.GetGrain<IEmpresaGrain>(admin.EmpresaId);
        Assert.False((await empresa.GetProfileAsync())!.ChatOrdersPending);
        Scenario.Ok(await empresa.UpdateProfileAsync(admin.AsAdmin(), new EmpresaSettings(null, null, null, null, null, null, null, ChatOrdersPending: true)));
        Assert.True((await empresa.GetProfileAsync())!.ChatOrdersPending);
        Scenario.Ok(await empresa.UpdateProfileAsync(admin.AsAdmin(), new EmpresaSettings("Otro nombre", null, null, null, null, null, null)));
        Assert.True((await empresa.GetProfileAsync())!.ChatOrdersPending);
    }
}
