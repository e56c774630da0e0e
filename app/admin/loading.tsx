import { LoadingView } from "@/app/_components/loading-view";

export default function LoadingPage() {
  return <LoadingView />;
}
