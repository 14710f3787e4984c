// The LinkMesh operator UI entry point: registers the components; <linkmesh-app> is the shell.
import "./components/index.js";
