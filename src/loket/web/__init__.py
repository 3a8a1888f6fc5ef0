"""The pages: thin views that parse the request, call a service or selector and render a
server-side template; htmx only enhances what already works without JavaScript."""
