using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>scripts/seed-demo.sh, the demo data ./run.sh loads on its first run, against the real silo and Api.</summary>
[Collection(ApiCollection.Name)]
public sealed class DemoSeedTests(ApiFixture fixture)
{
    private static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");

    private readonly ApiClient _anonymous = fixture.Anonymous();

    private async Task<(int ExitCode, string Output, TimeSpan Took)> SeedAsync(Tenant tenant)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(Repository.Root, "scripts", "seed-demo.sh"), fixture.Stack.BaseAddress.ToString().TrimEnd('/'),
                     tenant.AdminEmail, ApiClient.Password, fixture.Database.ConnectionString,
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors, clock.Elapsed);
    }

    private static DateOnly LocalDay(string instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), Bogota).DateTime);

    private static async Task<JsonArray> ItemsAsync(ApiClient client, string path)
    {
        var answer = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json["items"]!.AsArray();
    }

    [Fact]
    public async Task The_demo_seed_gives_a_new_empresa_a_month_of_sales_once_and_touches_no_other_empresa()
    {
        var bystander = await _anonymous.RegisterAsync("Ferretería Vecina");
        Assert.Equal(HttpStatusCode.OK, (await bystander.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var product = (await ItemsAsync(bystander.Admin, "/productos?tamano=1"))[0]!["id"]!.GetValue<string>();
        var bystanderSale = await bystander.Admin.PostAsync("/ventas", new { items = new[] { new { producto_id = product, cantidad = 1 } } });
        Assert.Equal(HttpStatusCode.Created, bystanderSale.Status);
        var demo = await _anonymous.RegisterAsync("Ferretería Demo");

        var (exitCode, output, took) = await SeedAsync(demo);

        Assert.True(exitCode == 0, output);
        Assert.Contains("datos de demostración listos", output);
        Assert.True(took < TimeSpan.FromSeconds(20), $"the seed took {took}");

        // The report shows a month of sales, a day at a time in the empresa's zone, up to today.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Bogota).DateTime);
        var summary = await demo.Admin.GetAsync($"/reportes/resumen?desde={today.AddDays(-30):yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, summary.Status);
        Assert.Equal(38, summary.Json["ventas"]!.GetValue<int>());
        Assert.Equal(5_490_400m, summary.Json["ingresos"]!.GetValue<decimal>());
        var perDay = summary.Json["por_dia"]!.AsArray()
            .ToDictionary(d => DateOnly.Parse(d!["fecha"]!.GetValue<string>(), CultureInfo.InvariantCulture), d => d!["ventas"]!.GetValue<int>());
        Assert.Equal(27, perDay.Count);
        Assert.Equal(today.AddDays(-29), perDay.Keys.Min());
        Assert.Equal(today, perDay.Keys.Max());
        Assert.Equal(2, perDay[today]);

        // The sales list says the same days as the report: nothing kept the first timestamps.
        var confirmed = await ItemsAsync(demo.Admin, "/ventas?estado=confirmada&tamano=500");
        var listedPerDay = confirmed.GroupBy(s => LocalDay(s!["creado_en"]!.GetValue<string>())).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(perDay.OrderBy(d => d.Key), listedPerDay.OrderBy(d => d.Key));
        Assert.Contains(confirmed, s => s!["canal"]!.GetValue<string>() == "whatsapp");
        Assert.Contains(confirmed, s => s!["canal"]!.GetValue<string>() == "api");
        var annulled = await ItemsAsync(demo.Admin, "/ventas?estado=anulada");
        Assert.Equal(2, annulled.Count);
        Assert.All(annulled, s => Assert.True(
            DateTimeOffset.Parse(s!["anulada_en"]!.GetValue<string>(), CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse(s["creado_en"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
        // The historial moved with them: the placement at creado_en, the annulment at anulada_en.
        Assert.All(confirmed.Concat(annulled), s => Assert.Equal(s!["creado_en"]!.GetValue<string>(), s["historial"]![0]!["en"]!.GetValue<string>()));
        Assert.All(annulled, s => Assert.Equal(s!["anulada_en"]!.GetValue<string>(), s["historial"]![1]!["en"]!.GetValue<string>()));

        var lowStock = (await ItemsAsync(demo.Admin, "/productos?tamano=500"))
            .Where(p => p!["stock"]!.GetValue<int>() <= 5)
            .Select(p => $"{p!["nombre"]!.GetValue<string>()}: {p["stock"]!.GetValue<int>()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "Carretilla 90 litros: 2", "Sanitario ahorrador blanco: 1", "Sierra circular 7-1/4: 1" }, lowStock);

        var customers = await ItemsAsync(demo.Admin, "/clientes");
        Assert.Equal(3, customers.Count);
        Assert.All(customers, c => Assert.StartsWith("+573", c!["telefono"]!.GetValue<string>()));
        Assert.All(customers, c => Assert.True(LocalDay(c!["creado_en"]!.GetValue<string>()) < perDay.Keys.Min()));
        var conversation = Assert.Single(await ItemsAsync(demo.Admin, "/conversaciones"));
        Assert.Contains("Martillo", conversation!["ultimo_mensaje"]!.GetValue<string>());
        var empresa = (await demo.Admin.GetAsync("/empresa")).Json;
        Assert.Equal(("es-CO", "COP", "America/Bogota"),
            (empresa["cultura"]!.GetValue<string>(), empresa["moneda"]!.GetValue<string>(), empresa["zona_horaria"]!.GetValue<string>()));
        Assert.Equal(4, empresa["preguntas_frecuentes"]!.AsArray().Count);

        // The same times in the audit log, and the other empresa's sale kept its own.
        var audit = await demo.Admin.GetAsync("/auditoria?entidad=venta&accion=crear&tamano=100");
        Assert.Equal(confirmed.Count + annulled.Count, audit.Json["total"]!.GetValue<int>());
        Assert.Equal(
            listedPerDay.Keys.Min(),
            audit.Json["items"]!.AsArray().Select(a => LocalDay(a!["creado_en"]!.GetValue<string>())).Min());
        var bystanderAfter = await bystander.Admin.GetAsync($"/ventas/{bystanderSale.Json["id"]!.GetValue<string>()}");
        Assert.Equal(bystanderSale.Json["creado_en"]!.GetValue<string>(), bystanderAfter.Json["creado_en"]!.GetValue<string>());

        // A second run adds nothing.
        var again = await SeedAsync(demo);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("ya tiene ventas", again.Output);
        Assert.Equal(40, (await demo.Admin.GetAsync("/ventas?tamano=1")).Json["total"]!.GetValue<int>());
        Assert.Equal(3, (await demo.Admin.GetAsync("/clientes?tamano=1")).Json["total"]!.GetValue<int>());
        Assert.Single(await ItemsAsync(demo.Admin, "/conversaciones"));
    }
}
