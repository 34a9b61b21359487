/**
 * The TorchScript runtime: {@link zeroshot.server.model.torchscript.TorchScriptRuntime} implements
 * {@link zeroshot.server.model.ModelRuntime} with DJL's PyTorch engine (libtorch). This is the only
 * package that uses DJL's engine types (devices, tensors, TorchScript modules); another runtime
 * would be another package like it.
 */
package zeroshot.server.model.torchscript;
