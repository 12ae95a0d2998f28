using System.Net;
using AgenteVendedor.Testing;
using Xunit.Abstractions;

namespace AgenteVendedor.Api.Tests;

/// <summary>A stack whose carts count as abandoned after a few seconds (Orleans' minimum reminder period lowered to match).</summary>
public sealed class AbandonedCartStack : WhatsAppStack
{
    public static readonly TimeSpan After = TimeSpan.FromSeconds(4);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Channels__AbandonedCartAfter"] = After.ToString(),
        ["Reminders__MinimumReminderPeriod"] = "00:00:01",
    };
}

/// <summary>
/// Abandoned carts over WhatsApp through the signed webhook, real Orleans reminders (ADO.NET on PostgreSQL) and the fake
/// Graph API: a cart left alone gets exactly one reminder, however long the silence; a cart checked out gets none.
/// </summary>
public sealed class AbandonedCartTests(AbandonedCartStack stack, ITestOutputHelper output) : IClassFixture<AbandonedCartStack>
{
    private static readonly TimeSpan After = AbandonedCartStack.After;

    private async Task<string> ReplyAsync(Task<List<FakeMessaging.Sent>> said)
    {
        var sent = Assert.Single(await said);
        var text = WhatsAppShop.TextOf(sent);
        output.WriteLine($"agente: {text}");
        return text;
    }

    private static bool IsReminder(FakeMessaging.Sent sent) => WhatsAppShop.TextOf(sent).Contains("Dejaste productos en tu carrito", StringComparison.Ordinal);

    [Fact]
    public async Task A_cart_left_alone_gets_exactly_one_reminder()
    {
        var shop = await stack.OpenAsync();
        var byText = WhatsAppShop.NewCustomer();
        var byCatalog = WhatsAppShop.NewCustomer();

        // One customer adds a mug by writing, the other sends a cart from the catalog; then both go silent.
        var added = await ReplyAsync(shop.SayAsync(byText, "quiero 1 taza de cerámica"));
        Assert.Contains("Taza de cerámica", added, StringComparison.Ordinal);
        await ReplyAsync(shop.OrderAsync(byCatalog, ("GOR-1", 2, 1m)));

        // Well past two reminder periods of silence: one reminder each, no more.
        await Task.Delay(3 * After + TimeSpan.FromSeconds(3));
        foreach (var (customer, product, total) in new[] { (byText, "1 × Taza de cerámica: $15.000", "Total: $15.000"), (byCatalog, "2 × Gorra bordada: $60.000", "Total: $60.000") })
        {
            var sent = shop.Platforms.To(customer);
            var reminder = Assert.Single(sent, IsReminder);
            output.WriteLine($"recordatorio a {customer}: {WhatsAppShop.TextOf(reminder)}");
            Assert.Equal("text", reminder.Body["type"]?.GetValue<string>());
            Assert.Contains(product, WhatsAppShop.TextOf(reminder), StringComparison.Ordinal);
            Assert.Contains(total, WhatsAppShop.TextOf(reminder), StringComparison.Ordinal);
            Assert.Same(reminder, sent[^1]);
        }

        Assert.Empty(shop.Platforms.Refused);
        Assert.Empty(await shop.SalesAsync());

        // The reminder is in the transcript; after it the customer can still finish the order.
        var conversation = (await shop.Tenant.Admin.GetAsync("/conversaciones?canal=whatsapp")).Json["items"]!.AsArray()
            .Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + byCatalog)!;
        var transcript = await shop.Tenant.Admin.GetAsync($"/conversaciones/{conversation["id"]}");
        Assert.Contains("Dejaste productos en tu carrito", transcript.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cart_checked_out_gets_no_reminder_and_a_customer_who_keeps_writing_is_not_reminded_meanwhile()
    {
        var shop = await stack.OpenAsync();
        var customer = WhatsAppShop.NewCustomer();

        // The customer takes longer than the abandoned-cart time over the checkout, but never goes quiet that long.
        var cart = await ReplyAsync(shop.OrderAsync(customer, ("TAZ-1", 1, 15000m)));
        Assert.Contains("¿a nombre de quién", cart, StringComparison.Ordinal);
        await Task.Delay(After * 0.6);
        await ReplyAsync(shop.SayAsync(customer, "Marta Ruiz"));
        await Task.Delay(After * 0.6);
        var summary = await ReplyAsync(shop.SayAsync(customer, "Carrera 7 # 12-30, Bogotá"));
        Assert.Contains("¿Confirmas el pedido?", summary, StringComparison.Ordinal);
        await Task.Delay(After * 0.6);
        var done = await ReplyAsync(shop.SayAsync(customer, "sí"));
        Assert.Contains("Pedido confirmado", done, StringComparison.Ordinal);
        Assert.Single(await shop.SalesAsync());

        await Task.Delay(3 * After + TimeSpan.FromSeconds(3));
        var sent = shop.Platforms.To(customer);
        Assert.DoesNotContain(sent, IsReminder);
        Assert.Equal(4, sent.Count);
        Assert.Equal(HttpStatusCode.OK, (await shop.Tenant.Admin.GetAsync("/ventas")).Status);
    }

    [Fact]
    public async Task A_cart_in_a_chat_a_person_took_gets_no_reminder()
    {
        var shop = await stack.OpenAsync();
        var customer = WhatsAppShop.NewCustomer();
        await ReplyAsync(shop.OrderAsync(customer, ("TAZ-1", 1, 15000m)));
        var conversation = (await shop.Tenant.Admin.GetAsync("/conversaciones?canal=whatsapp")).Json["items"]!.AsArray()
            .Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer)!;
        var taken = await shop.Tenant.Admin.PostAsync($"/conversaciones/{conversation["id"]}/tomar", null);
        Assert.Equal("humano", taken.Json["estado"]!.GetValue<string>());

        await Task.Delay(3 * After + TimeSpan.FromSeconds(3));
        Assert.Single(shop.Platforms.To(customer));
    }

    /// <summary>A catalog cart from a customer whose last message is 25 hours old (Meta's timestamp): outside the window.</summary>
    private async Task<string> OutsideTheWindowAsync(WhatsAppShop shop)
    {
        var customer = WhatsAppShop.NewCustomer();
        await ReplyAsync(shop.OrderSentAtAsync(customer, DateTimeOffset.UtcNow.AddHours(-25), ("TAZ-1", 2, 1m)));
        return customer;
    }

    [Fact]
    public async Task Outside_the_24_hour_window_without_a_carrito_abandonado_template_nothing_is_sent()
    {
        var shop = await stack.OpenAsync();
        var customer = await OutsideTheWindowAsync(shop);
        await Task.Delay(3 * After + TimeSpan.FromSeconds(3));
        Assert.Single(shop.Platforms.To(customer));
        Assert.Empty(shop.Platforms.Refused);
    }

    // Fails on this branch only because NotificationTemplateStore cannot read the mapping (Dapper and a record's string[]):
    // fixed in notify-work by eaecfac; with that fix applied this test passed here (see the branch's report).
    [Fact]
    public async Task Outside_the_24_hour_window_the_reminder_is_the_carrito_abandonado_template()
    {
        var shop = await stack.OpenAsync();
        var wabaId = $"{Random.Shared.Next(100_000_000, 999_999_999)}";
        shop.Platforms.RegisterTemplates(wabaId, shop.AccessToken,
            new FakeMessaging.FakeTemplate("carrito_pendiente", "es_CO", "Hola {{1}}, dejaste productos en {{2}} por {{3}}: {{4}}. ¿Te ayudamos a terminar?"));
        var mapping = await shop.Tenant.Admin.PutAsync("/canales/whatsapp/notificaciones", new
        {
            carrito_abandonado = new { nombre = "carrito_pendiente", idioma = "es_CO", parametros = new[] { "cliente", "empresa", "total", "productos" } },
        });
        Assert.True(mapping.Status == HttpStatusCode.OK, mapping.Body);
        var customer = await OutsideTheWindowAsync(shop);

        await Task.Delay(3 * After + TimeSpan.FromSeconds(3));
        var sent = shop.Platforms.To(customer);
        Assert.Equal(2, sent.Count);
        var template = sent[^1].Body;
        Assert.Equal("template", template["type"]?.GetValue<string>());
        Assert.Equal(("carrito_pendiente", "es_CO"), (template["template"]!["name"]!.GetValue<string>(), template["template"]!["language"]!["code"]!.GetValue<string>()));
        var parameters = template["template"]!["components"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "body")!["parameters"]!.AsArray()
            .Select(p => p!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(["Tienda La Esquina", "$30.000", "2 × Taza de cerámica"], parameters.Skip(1));
        Assert.Empty(shop.Platforms.Refused);
    }
}
