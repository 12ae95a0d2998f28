using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Components;
using AgenteVendedor.Panel.Features;
using AgenteVendedor.Panel.Features.Conversaciones;
using AgenteVendedor.Panel.Formatting;
using AgenteVendedor.Panel.Session;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddPanelSession(builder.Configuration, builder.Environment);
builder.Services.AddApiClients(builder.Configuration);
builder.Services.AddScoped<EmpresaFormat>();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/no-encontrado");
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapGet("/health", () => Results.Text("ok")).AllowAnonymous();
app.MapSessionEndpoints();
app.MapDownloadEndpoints();
app.MapMediaProxy();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

public partial class Program;
